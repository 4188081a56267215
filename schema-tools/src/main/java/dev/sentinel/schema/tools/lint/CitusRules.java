package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.tools.internal.Catalog;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Citus refuses or gets wrong when the schema is distributed by {@code tenant_id}, checked on
 * plain PostgreSQL so that every build guards it without a cluster: a policy holding a subquery, a
 * {@code SET NULL (column)} or {@code SET DEFAULT (column)} action or an {@code ON UPDATE CASCADE}
 * on a foreign key that contains {@code tenant_id}, and a table that {@code sentinel.distribute} did not place.
 */
final class CitusRules {

    /** Policies whose USING or WITH CHECK expression holds a subquery (a SubLink node). */
    private static final String POLICIES_WITH_SUBQUERY = """
            select p.polrelid::int8 as table_oid, p.polname
              from pg_policy p
             where p.polrelid::int8 = any(?)
               and (coalesce(p.polqual::text, '') like '%{SUBLINK%' or coalesce(p.polwithcheck::text, '') like '%{SUBLINK%')
             order by p.polname
            """;

    /**
     * The tables sentinel.distribute recorded, as it printed them (schema-qualified, quoted where
     * needed, as {@code LintTable.sqlName()}); compared by name because the linter's role may not
     * look up tables of schemas it cannot use.
     */
    private static final String PLACED = "select relation from sentinel.table_placements";

    private CitusRules() {
    }

    static void check(LintRun run) throws SQLException {
        policies(run);
        foreignKeys(run);
        placements(run);
    }

    private static void policies(LintRun run) throws SQLException {
        record Policy(long table, String name) {
        }
        List<Policy> policies = run.session.query(POLICIES_WITH_SUBQUERY,
                row -> new Policy(row.getLong("table_oid"), row.getString("polname")), (Object) run.oids());
        for (Policy policy : policies) {
            LintTable table = run.byOid.get(policy.table());
            run.add(table, "policy " + policy.name(), Rule.POLICY_SUBQUERY, "The policy " + policy.name() + " of "
                    + table.display() + " holds a subquery (a select or exists in its expression): Citus refuses to"
                    + " create it on a distributed or reference table, so this migration cannot run on a cluster.",
                    "Compare with sentinel.current_tenant_id() directly (tenant_id = sentinel.current_tenant_id()),"
                            + " or move the subquery into a stable SQL function that the policy calls, as"
                            + " sentinel.is_current_tenant_member does for users.");
        }
    }

    private static void foreignKeys(LintRun run) throws SQLException {
        for (Catalog.ForeignKey key : Catalog.foreignKeys(run.session.connection(), run.oids())) {
            LintTable table = run.byOid.get(key.table());
            if (table != null && table.kind() == LintTable.Kind.TENANT && key.columns().contains(table.tenantAttnum())
                    && "c".equals(key.onUpdate())) {
                run.add(table, key.name(), Rule.CITUS_UPDATE_CASCADE, "The foreign key " + key.name() + " ("
                        + key.definition() + ") cascades updates of the referenced key. Citus refuses CASCADE, SET NULL"
                        + " and SET DEFAULT on update for any foreign key that contains the distribution column, so the"
                        + " table cannot be distributed by tenant_id.",
                        "Use on update no action (the default; Prisma: onUpdate: NoAction): ids do not change, and a"
                                + " row's tenant_id never does.");
            }
            if (table == null || table.kind() != LintTable.Kind.TENANT || !key.columns().contains(table.tenantAttnum())
                    || key.deleteSet().isEmpty() || key.deleteSet().contains(table.tenantAttnum())
                    || !("n".equals(key.onDelete()) || "d".equals(key.onDelete()))) {
                // Without a column list (or with tenant_id in it) foreign-key-set-null reports the key.
                continue;
            }
            run.add(table, key.name(), Rule.CITUS_SET_NULL_KEY, "The foreign key " + key.name() + " ("
                    + key.definition() + ") clears some of its columns on delete. It keeps tenant_id, but Citus"
                    + " refuses SET NULL and SET DEFAULT on any foreign key that contains the distribution column, so"
                    + " the table cannot be distributed by tenant_id.",
                    "Use on delete restrict (delete or detach the children first) or on delete cascade; or keep the"
                            + " link out of the key, as a column that the parent's deletion clears in its own statement.");
        }
    }

    private static void placements(LintRun run) throws SQLException {
        if (!run.session.single("select to_regclass('sentinel.table_placements') is not null", row -> row.getBoolean(1))) {
            return; // a kernel older than the record: nothing to compare with
        }
        Set<String> placed = new HashSet<>(run.session.query(PLACED, row -> row.getString(1)));
        for (LintTable table : run.tables) {
            if (placed.contains(table.sqlName())) {
                continue;
            }
            String as = table.kind() == LintTable.Kind.TENANT ? "distributed by tenant_id" : "made a reference table";
            run.add(table, "sentinel.distribute", Rule.NOT_DISTRIBUTED, table.display() + " was not placed by"
                    + " sentinel.distribute: on a Citus cluster it would stay a local table of the coordinator instead of"
                    + " being " + as + ", and statements joining it with the distributed tables would fail.",
                    "Call select sentinel.distribute('" + table.display() + "') right after its create table, in the"
                            + " same migration (a no-op on plain PostgreSQL).");
        }
    }
}
