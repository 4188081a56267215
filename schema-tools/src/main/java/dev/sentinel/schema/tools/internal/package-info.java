/**
 * Internals of sentinel-schema-tools: the catalog reads that the schema linter and the schema
 * reference share. Not API: anything here may change without notice.
 */
package dev.sentinel.schema.tools.internal;
