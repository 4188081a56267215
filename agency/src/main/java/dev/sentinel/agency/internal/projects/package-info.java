/**
 * Implementation of {@link dev.sentinel.core.projects}: thin rules over the generic repository.
 * Not API: anything here may change without notice.
 */
package dev.sentinel.core.internal.projects;
