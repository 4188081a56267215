/**
 * Internals of sentinel-schema shared by the migration runner and the codegen plugin. Not API:
 * anything here may change without notice.
 */
package dev.sentinel.schema.internal;
