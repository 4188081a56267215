/**
 * Internals of the Sentinel codegen plugin. Not API: anything here may change without notice.
 */
package dev.sentinel.codegen.internal;
