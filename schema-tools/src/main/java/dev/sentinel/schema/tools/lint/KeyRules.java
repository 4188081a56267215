package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.tools.internal.Catalog;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The key rules of tenant tables: unique keys lead with {@code tenant_id}, foreign keys to other
 * tenant tables pair {@code tenant_id} with {@code tenant_id}, no referential action changes
 * {@code tenant_id}, and {@code tenant_id} itself is {@code uuid not null}.
 */
final class KeyRules {

    /** Every unique index of the linted tables: primary keys, unique constraints and unique indexes. */
    private static final String UNIQUE = """
            select i.indrelid::int8 as table_oid, ic.relname as name, i.indisprimary, con.contype,
                   i.indkey[0] as first_attnum,
                   coalesce(pg_get_constraintdef(con.oid), pg_get_indexdef(i.indexrelid)) as definition
              from pg_index i
              join pg_class ic on ic.oid = i.indexrelid
              left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
                   and con.contype in ('p', 'u')
             where i.indisunique and i.indrelid::int8 = any(?)
             order by ic.relname
            """;

    private KeyRules() {
    }

    static void check(LintRun run) throws SQLException {
        for (LintTable table : run.tables) {
            if (table.kind() == LintTable.Kind.TENANT && (!table.tenantNotNull() || !"uuid".equals(table.tenantType()))) {
                String problem = !table.tenantNotNull()
                        ? "tenant_id is nullable, so the table can hold global rows: rows of no tenant, which no"
                                + " tenant's policy shows and Citus cannot place on a shard"
                        : "tenant_id is " + table.tenantType() + ", not uuid: it cannot be compared with"
                                + " sentinel.current_tenant_id() or reference sentinel.tenants (id)";
                run.add(table, "tenant_id", Rule.TENANT_ID_COLUMN, problem + ".", "Make it tenant_id uuid not null"
                        + " references sentinel.tenants (id); split a concept that is both global and per tenant into"
                        + " a global table and a tenant table.");
            }
        }
        uniqueKeys(run);
        foreignKeys(run);
    }

    private static void uniqueKeys(LintRun run) throws SQLException {
        record Unique(long table, String name, boolean primary, String contype, int first, String definition) {
        }
        List<Unique> keys = run.session.query(UNIQUE, row -> new Unique(row.getLong("table_oid"), row.getString("name"),
                row.getBoolean("indisprimary"), row.getString("contype"), row.getInt("first_attnum"),
                row.getString("definition")), (Object) run.oids());
        for (Unique key : keys) {
            LintTable table = run.byOid.get(key.table());
            if (table == null || !table.tenantScoped() || (table.kind() == LintTable.Kind.ROOT && !key.primary())) {
                // The root's other unique keys span tenants by nature (a slug is unique among all tenants);
                // under Citus, tenants is a reference table. See docs/linter.md.
                continue;
            }
            if (key.first() == table.tenantAttnum()) {
                continue;
            }
            String what = key.primary() ? "primary key" : "u".equals(key.contype()) ? "unique constraint" : "unique index";
            run.add(table, key.name(), Rule.TENANT_KEY, "The " + what + " " + key.name() + " (" + key.definition()
                    + ") does not lead with " + table.tenantColumn() + ": it makes values unique across tenants"
                    + " (one tenant's row blocks another's), its index does not serve tenant-scoped lookups, and"
                    + " Citus cannot distribute the table by tenant_id with it.",
                    "Put " + table.tenantColumn() + " first, as in " + (key.primary() ? "primary key (tenant_id, id)"
                            : "unique (tenant_id, ...)") + ". A value that must be unique across all tenants belongs in"
                            + " a global table.");
        }
    }

    private static void foreignKeys(LintRun run) throws SQLException {
        List<Catalog.ForeignKey> keys = Catalog.foreignKeys(run.session.connection(), run.oids());
        for (Catalog.ForeignKey key : keys) {
            LintTable table = run.byOid.get(key.table());
            if (table == null || table.kind() != LintTable.Kind.TENANT) {
                continue;
            }
            int tenant = table.tenantAttnum();
            if (key.referencedTenant() != 0) {
                boolean paired = false;
                for (int i = 0; i < key.columns().size(); i++) {
                    paired |= key.columns().get(i) == tenant && key.referenced().get(i) == key.referencedTenant();
                }
                if (!paired) {
                    String target = key.referencedRoot() ? "tenants (id)" : key.referencedTable() + " (tenant_id)";
                    run.add(table, key.name(), Rule.FOREIGN_KEY_WITHOUT_TENANT, "The foreign key " + key.name() + " ("
                            + key.definition() + ") does not pair tenant_id with " + target + ", so a row of one"
                            + " tenant can point at a row of another; Citus cannot co-locate the two tables either.",
                            key.referencedRoot()
                                    ? "Reference sentinel.tenants only from tenant_id; a link to another tenant is"
                                            + " cross-tenant data and belongs in the system scope's tables."
                                    : "Make it composite: foreign key (tenant_id, x_id) references "
                                            + key.referencedTable() + " (tenant_id, id).");
                }
            }
            List<String> actions = new ArrayList<>();
            if (setsTenant(key.onDelete(), key.deleteSet().isEmpty() ? key.columns() : key.deleteSet(), tenant)) {
                actions.add("ON DELETE " + action(key.onDelete()));
            }
            if (setsTenant(key.onUpdate(), key.columns(), tenant)) {
                actions.add("ON UPDATE " + action(key.onUpdate()));
            }
            if (!actions.isEmpty()) {
                run.add(table, key.name(), Rule.FOREIGN_KEY_NULLS_TENANT, "The foreign key " + key.name() + " ("
                        + key.definition() + ") has " + String.join(" and ", actions) + ", which sets every column"
                        + " of the key, tenant_id included: the row would lose its tenant (or the delete fails on"
                        + " not null).", "Use on delete restrict or cascade (not set null (x_id) either, which Citus"
                        + " refuses: rule citus-set-null-key); on update, use no action (Citus refuses cascade there: rule"
                        + " citus-update-cascade).");
            }
        }
    }

    private static boolean setsTenant(String action, List<Integer> columns, int tenant) {
        return ("n".equals(action) || "d".equals(action)) && columns.contains(tenant);
    }

    private static String action(String code) {
        return "n".equals(code) ? "SET NULL" : "SET DEFAULT";
    }
}
