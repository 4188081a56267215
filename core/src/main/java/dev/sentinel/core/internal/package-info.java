/**
 * Internals of sentinel-core: the transaction runner, the generic repository, error translation.
 * Not API: anything here may change without notice.
 */
package dev.sentinel.core.internal;
