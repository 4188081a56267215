package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.tools.internal.Catalog;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One lint: the session, the tables read from the catalog, what is known of the application role,
 * and the findings so far. The rule classes read from it and add to it. Not thread-safe.
 */
final class LintRun {

    /** Tables the linter reads; Flyway's history tables are not the service's data. */
    private static final String TABLES = """
            select c.oid, n.nspname, c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname) as sql_name,
                   c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) as owner,
                   obj_description(c.oid, 'pg_class') as comment,
                   a.attname as tenant_column, a.attnum as tenant_attnum, a.attnotnull as tenant_not_null,
                   format_type(a.atttypid, a.atttypmod) as tenant_type,
                   has_schema_privilege(?, n.oid, 'USAGE') as schema_usage,
                   has_table_privilege(?, c.oid, 'SELECT') as can_select,
                   has_table_privilege(?, c.oid, 'INSERT') as can_insert,
                   has_table_privilege(?, c.oid, 'UPDATE') as can_update,
                   has_table_privilege(?, c.oid, 'DELETE') as can_delete,
                   has_table_privilege(?, c.oid, 'TRUNCATE') as can_truncate
              from pg_class c
              join pg_namespace n on n.oid = c.relnamespace
              left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                   and a.attname = %1$s
             where n.nspname = any(?) and c.relkind in ('r', 'p') and c.relname <> '%2$s'
             order by n.nspname, c.relname
            """.formatted(Catalog.tenantColumnSql("n", "c"), SchemaNames.HISTORY_TABLE);

    final Session session;
    final LintOptions options;
    final String appRole;
    /** The system scope's role, which the system scope's probes act as. */
    final String systemRole;
    final List<LintTable> tables;
    final Map<Long, LintTable> byOid = new LinkedHashMap<>();
    /** The application role's attributes. */
    final boolean appSuperuser;
    final boolean appBypassRls;
    /** The roles owning linted tables (or named as the owner) that the application role is a member of. */
    final Set<String> ownersAppBelongsTo = new LinkedHashSet<>();
    private final Map<Long, List<Catalog.Trigger>> triggers;
    private final Map<Long, List<String>> secretColumns;
    private final Map<Long, List<String>> personalColumns;
    private final List<Finding> findings = new ArrayList<>();

    LintRun(Session session, LintOptions options, boolean appSuperuser, boolean appBypassRls) throws SQLException {
        this.session = session;
        this.options = options;
        this.appRole = options.roles().app();
        this.systemRole = options.roles().system();
        this.appSuperuser = appSuperuser;
        this.appBypassRls = appBypassRls;
        String app = appRole;
        this.tables = session.query(TABLES, row -> {
            String schema = row.getString("nspname");
            String name = row.getString("relname");
            String tenantColumn = row.getString("tenant_column");
            LintTable.Kind kind = Catalog.isRoot(schema, name) && tenantColumn != null
                    ? LintTable.Kind.ROOT
                    : tenantColumn != null ? LintTable.Kind.TENANT : LintTable.Kind.GLOBAL;
            return new LintTable(row.getLong("oid"), schema, name, row.getString("sql_name"), kind, tenantColumn,
                    row.getInt("tenant_attnum"), row.getBoolean("tenant_not_null"), row.getString("tenant_type"),
                    row.getBoolean("relrowsecurity"), row.getBoolean("relforcerowsecurity"), row.getString("owner"),
                    row.getString("comment"), row.getBoolean("schema_usage"),
                    new LintTable.Privileges(row.getBoolean("can_select"), row.getBoolean("can_insert"),
                            row.getBoolean("can_update"), row.getBoolean("can_delete"),
                            row.getBoolean("can_truncate")));
        }, app, app, app, app, app, app, schemas());
        for (LintTable table : tables) {
            byOid.put(table.oid(), table);
        }
        if (!appSuperuser) {
            // A superuser counts as a member of every role; its own finding says enough.
            Set<String> owners = new LinkedHashSet<>();
            owners.add(options.roles().owner());
            tables.forEach(table -> owners.add(table.owner()));
            owners.remove(app);
            for (String owner : owners) {
                if (session.single("select exists (select from pg_catalog.pg_roles where rolname = ?)"
                        + " and pg_catalog.pg_has_role(?, ?, 'MEMBER')", row -> row.getBoolean(1), owner, app, owner)) {
                    ownersAppBelongsTo.add(owner);
                }
            }
        }
        this.triggers = AuditRules.triggers(session, oids());
        this.secretColumns = AuditRules.secretColumns(session, oids());
        this.personalColumns = Catalog.personalColumns(session.connection(), oids());
    }

    /**
     * A table's triggers, internal ones (foreign keys) left out.
     *
     * @param table the table
     * @return its triggers, by name
     */
    List<Catalog.Trigger> triggers(LintTable table) {
        return triggers.getOrDefault(table.oid(), List.of());
    }

    /**
     * A table's columns commented {@code sentinel:secret}, in column order.
     *
     * @param table the table
     * @return the column names
     */
    List<String> secretColumns(LintTable table) {
        return secretColumns.getOrDefault(table.oid(), List.of());
    }

    /**
     * A table's columns commented {@code sentinel:personal} (and not {@code sentinel:secret}), in
     * column order.
     *
     * @param table the table
     * @return the column names
     */
    List<String> personalColumns(LintTable table) {
        return personalColumns.getOrDefault(table.oid(), List.of());
    }

    /**
     * The linted schemas as a {@code text[]} parameter.
     *
     * @return the schema names
     */
    String[] schemas() {
        return options.schemas().toArray(String[]::new);
    }

    /**
     * The linted tables' oids as an {@code int8[]} parameter, for {@code oid::int8 = any(?)}.
     *
     * @return the oids
     */
    Long[] oids() {
        return tables.stream().map(LintTable::oid).toArray(Long[]::new);
    }

    /**
     * Whether the application role owns a table (then it is reported as an owner, and the rules
     * that its ownership breaks anyway are not reported again).
     *
     * @param table the table
     * @return true if the application role owns it
     */
    boolean ownedByApp(LintTable table) {
        return table.owner().equals(appRole);
    }

    /**
     * Whether the application role's privileges on a table come from more than grants: it is a
     * superuser, owns the table, or is a member of its owner. Its role finding then says what to
     * fix, and the privilege findings that follow from it are not reported table by table.
     *
     * @param table the table
     * @return true if the role's privileges on it are an owner's
     */
    boolean ownerPrivileges(LintTable table) {
        return appSuperuser || ownedByApp(table) || ownersAppBelongsTo.contains(table.owner());
    }

    void add(LintTable table, String object, Rule rule, String message, String fix) {
        findings.add(new Finding(table == null ? null : table.display(), object, rule, message, fix));
    }

    List<Finding> findings() {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing((Finding f) -> f.table() == null ? "" : f.table())
                .thenComparing(Finding::rule)
                .thenComparing(Finding::object));
        return List.copyOf(sorted);
    }
}
