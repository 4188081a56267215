package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.tools.internal.Catalog;

/**
 * One linted table as the catalog describes it, with the application role's privileges on it.
 *
 * @param oid the table's oid
 * @param schema its schema
 * @param name its name
 * @param sqlName the name to write in SQL ({@code regclass} text, schema-qualified, quoted as needed)
 * @param kind tenant, root or global
 * @param tenantColumn {@code tenant_id} ({@code id} for the root), or null for a global table
 * @param tenantAttnum the tenant column's number, or 0
 * @param tenantNotNull whether the tenant column is {@code not null}
 * @param tenantType the tenant column's type as {@code format_type} prints it, or null
 * @param rowSecurity whether row-level security is enabled
 * @param forced whether it is forced
 * @param owner the owning role
 * @param comment the table's comment, or null
 * @param schemaUsage whether the application role may use the schema
 * @param privileges the application role's table privileges
 */
record LintTable(long oid, String schema, String name, String sqlName, Kind kind, String tenantColumn,
        int tenantAttnum, boolean tenantNotNull, String tenantType, boolean rowSecurity, boolean forced,
        String owner, String comment, boolean schemaUsage, Privileges privileges) {

    /** What a table is to the rules. */
    enum Kind {
        /** Has {@code tenant_id}. */
        TENANT,
        /** {@code sentinel.tenants}: its {@code id} is the tenant id. */
        ROOT,
        /** Neither. */
        GLOBAL
    }

    /**
     * The application role's privileges on the table.
     *
     * @param select SELECT
     * @param insert INSERT
     * @param update UPDATE
     * @param delete DELETE
     * @param truncate TRUNCATE
     */
    record Privileges(boolean select, boolean insert, boolean update, boolean delete, boolean truncate) {
    }

    /**
     * The name for messages.
     *
     * @return {@code schema.table}
     */
    String display() {
        return schema + "." + name;
    }

    /**
     * Whether rows belong to tenants: a tenant table or the root.
     *
     * @return true unless global
     */
    boolean tenantScoped() {
        return kind != Kind.GLOBAL;
    }

    /**
     * Whether the comment exempts the table from auditing, with a reason.
     *
     * @return true if the comment holds {@code sentinel:unaudited <reason>}
     */
    boolean unaudited() {
        return Catalog.unaudited(comment);
    }

    /**
     * Whether the comment holds the marker without a reason.
     *
     * @return true if {@code sentinel:unaudited} appears but no reason follows it
     */
    boolean unauditedWithoutReason() {
        return comment != null && comment.contains(Catalog.UNAUDITED_MARKER) && !unaudited();
    }
}
