/**
 * The schema linter: {@link dev.sentinel.schema.tools.lint.SchemaLinter} checks a migrated database
 * against the {@link dev.sentinel.schema.tools.lint.Rule}s that keep tenants apart and the audit
 * trail honest, and returns {@link dev.sentinel.schema.tools.lint.Finding}s. Plain JDBC; the codegen
 * plugin and the test extension run it after migrating. A build-time tool: it is in
 * sentinel-schema-tools, not on a service's runtime class path.
 */
package dev.sentinel.schema.tools.lint;
