/**
 * The schema reference: {@link dev.sentinel.schema.tools.reference.SchemaReference} writes a
 * Markdown description of a migrated schema, read from the PostgreSQL catalog, with a Mermaid ER
 * diagram per schema and a section per table. The codegen plugin runs it after the migrations
 * ({@code <schemaReference>}); Sentinel's own is {@code docs/schema-reference.md}. A build-time
 * tool: it is in sentinel-schema-tools, not on a service's runtime class path.
 */
package dev.sentinel.schema.tools.reference;
