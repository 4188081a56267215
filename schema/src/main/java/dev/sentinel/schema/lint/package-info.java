/**
 * The schema linter: {@link dev.sentinel.schema.lint.SchemaLinter} checks a migrated database
 * against the {@link dev.sentinel.schema.lint.Rule}s that keep tenants apart and the audit trail
 * honest, and returns {@link dev.sentinel.schema.lint.Finding}s. Plain JDBC; the codegen plugin
 * and the test extension run it after migrating.
 */
package dev.sentinel.schema.lint;
