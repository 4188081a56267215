package dev.sentinel.schema.tools.lint;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Row-level security: enabled and forced on every table, and, tested by behaviour as the
 * application role, policies that let no row of another tenant through and that let the tenant
 * scope and the system scope reach what they must.
 *
 * <p>Two probes, both read-only. <b>Existing rows</b>: as the application role, {@code count(*)}
 * of a tenant table with no tenant set (or a random other tenant set) must be 0; an empty table
 * proves nothing here. <b>A probe row</b>: each policy's own expression, as the catalog stores it
 * ({@code pg_get_expr}), is evaluated by PostgreSQL, as the application role and under the same
 * settings, against a row built from the table's row type ({@code jsonb_populate_record}) whose
 * tenant column holds a random tenant and whose other columns are null. So the policies are tested
 * on an empty table too, as in a build's scratch database, without writing a row. The policies
 * are combined as PostgreSQL combines them: for each command, any applicable permissive policy
 * and every applicable restrictive one ({@code USING} for SELECT, UPDATE and DELETE; {@code WITH
 * CHECK}, or an ALL policy's {@code USING}, for INSERT), and only for the commands the application
 * role holds the privilege of.
 */
final class RowSecurityRules {

    private static final String POLICIES = """
            select p.polrelid::int8 as table_oid, p.polname, p.polcmd::text as cmd, p.polpermissive,
                   pg_get_expr(p.polqual, p.polrelid) as using_expr,
                   pg_get_expr(p.polwithcheck, p.polrelid) as check_expr,
                   0::oid = any(p.polroles)
                       or exists (select from unnest(p.polroles) r where r <> 0 and pg_has_role(?, r, 'MEMBER'))
                       as applies
              from pg_policy p
             where p.polrelid::int8 = any(?)
             order by p.polname
            """;

    /** Visible rows counted at most up to this, so that a big table costs no full scan. */
    private static final int COUNT_LIMIT = 1000;

    private RowSecurityRules() {
    }

    /** The four commands, with their code in {@code pg_policy.polcmd}. */
    private enum Command {
        SELECT('r'), INSERT('a'), UPDATE('w'), DELETE('d');

        final char code;

        Command(char code) {
            this.code = code;
        }

        boolean granted(LintTable.Privileges privileges) {
            return switch (this) {
                case SELECT -> privileges.select();
                case INSERT -> privileges.insert();
                case UPDATE -> privileges.update();
                case DELETE -> privileges.delete();
            };
        }
    }

    private record Policy(String name, char cmd, boolean permissive, String using, String check) {

        boolean covers(Command command) {
            return cmd == '*' || cmd == command.code;
        }

        /** The expression PostgreSQL applies for the command, or null if the policy adds none. */
        String expression(Command command) {
            if (command == Command.INSERT) {
                return check != null ? check : cmd == '*' ? using : null;
            }
            return using;
        }
    }

    /** What the probes found for one table. */
    private static final class Observations {
        final List<String> leaks = new ArrayList<>();
        final Set<String> leakingPolicies = new LinkedHashSet<>();
        final List<String> missing = new ArrayList<>();
        String error;
    }

    static void check(LintRun run) throws SQLException {
        Map<Long, List<Policy>> policies = policies(run, run.appRole);
        Map<Long, List<Policy>> systemPolicies = policies(run, run.systemRole);
        List<LintTable> probed = new ArrayList<>();
        for (LintTable table : run.tables) {
            if (!table.rowSecurity()) {
                run.add(table, "row level security", Rule.RLS_NOT_ENABLED, "Row-level security is not enabled on "
                        + table.display() + ": every role that may read it sees "
                        + (table.tenantScoped() ? "every tenant's rows" : "all of it") + ", whatever tenant is set.",
                        table.tenantScoped()
                                ? "select sentinel.enable_tenant_rls('" + table.sqlName() + "'); (it enables and forces"
                                        + " row-level security and creates the tenant_scope and system_scope policies)"
                                : "If its rows belong to tenants (most tables of an application that moves to"
                                        + " Sentinel), make it a tenant table first: add tenant_id uuid not null"
                                        + " references sentinel.tenants, lead its keys with it, then select"
                                        + " sentinel.enable_tenant_rls('" + table.sqlName() + "'); (docs/codegen.md,"
                                        + " \"Adopting an existing schema\"). Only if it is truly global (reference"
                                        + " data no tenant owns): select sentinel.enable_system_rls('" + table.sqlName()
                                        + "'); (system scope only; add a SELECT policy where tenants may read)");
                continue;
            }
            if (!table.forced()) {
                run.add(table, "row level security", Rule.RLS_NOT_FORCED, "Row-level security is enabled but not"
                        + " forced on " + table.display() + ": the owner role, which runs migrations and data fixes,"
                        + " bypasses the policies and reads and writes every tenant's rows without entering the"
                        + " system scope.", "ALTER TABLE " + table.sqlName() + " FORCE ROW LEVEL SECURITY;");
            }
            boolean tenantProbe = !table.tenantScoped() || "uuid".equals(table.tenantType());
            if (table.schemaUsage() && tenantProbe) {
                probed.add(table);
            }
            // A superuser, or a member of the owner, has every policy: its role finding says enough.
            if (table.tenantScoped() && table.privileges().select() && !run.ownerPrivileges(table) && !run.appBypassRls) {
                combined(run, table, policies.getOrDefault(table.oid(), List.of()));
            }
        }
        behaviour(run, probed, policies, systemPolicies);
    }

    /** More than one permissive SELECT policy for the application role: an OR, no index condition. */
    private static void combined(LintRun run, LintTable table, List<Policy> policies) {
        List<String> names = new ArrayList<>();
        for (Policy policy : policies) {
            if (policy.permissive() && policy.covers(Command.SELECT) && policy.using() != null) {
                names.add(policy.name());
            }
        }
        if (names.size() > 1) {
            run.add(table, "policies " + String.join(", ", names), Rule.POLICY_COMBINED, "The permissive policies "
                    + String.join(", ", names) + " of " + table.display() + " all apply to " + run.appRole
                    + ", which PostgreSQL combines with OR: the planner cannot use that as an index condition, so"
                    + " a query's own tenant_id = <another tenant> leads the index scan and the policy filters"
                    + " after it, and EXPLAIN ANALYZE's \"Rows Removed by Filter\" answers questions about"
                    + " another tenant's rows.", "Give " + run.appRole + " one policy, tenant_id ="
                    + " sentinel.current_tenant_id(), and restrict the others to the roles that need them:"
                    + " ALTER POLICY system_scope ON " + table.sqlName() + " TO " + run.systemRole + ", "
                    + run.options.roles().owner() + " (sentinel.enable_tenant_rls creates it so).");
        }
    }

    /** The policies that apply to a role, by table. */
    private static Map<Long, List<Policy>> policies(LintRun run, String role) throws SQLException {
        Map<Long, List<Policy>> policies = new LinkedHashMap<>();
        for (Object[] row : run.session.query(POLICIES, r -> new Object[] {r.getLong("table_oid"),
                        r.getBoolean("applies") ? new Policy(r.getString("polname"), r.getString("cmd").charAt(0),
                                r.getBoolean("polpermissive"), r.getString("using_expr"), r.getString("check_expr"))
                                : null},
                role, run.oids())) {
            List<Policy> list = policies.computeIfAbsent((Long) row[0], k -> new ArrayList<>());
            if (row[1] != null) {
                list.add((Policy) row[1]);
            }
        }
        return policies;
    }

    private static void behaviour(LintRun run, List<LintTable> probed, Map<Long, List<Policy>> policies,
            Map<Long, List<Policy>> systemPolicies) throws SQLException {
        Map<LintTable, Observations> observations = new LinkedHashMap<>();
        probed.forEach(table -> observations.put(table, new Observations()));
        String own = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Session session = run.session;
        List<LintTable> tenantTables = probed.stream().filter(LintTable::tenantScoped).toList();
        if (session.tenantNeverSet()) {
            // First, before anything sets them: the state of a fresh connection.
            for (LintTable table : tenantTables) {
                leaks(run, table, policies, observations.get(table), other, "with no tenant set (a fresh session,"
                        + " where sentinel.tenant_id was never set)");
            }
        }
        session.settings("", "");
        for (LintTable table : tenantTables) {
            leaks(run, table, policies, observations.get(table), other, "with no tenant set (sentinel.tenant_id = '')");
        }
        session.settings(own, "tenant");
        for (LintTable table : tenantTables) {
            leaks(run, table, policies, observations.get(table), other, "while another tenant is set");
            reaches(run, table, policies, observations.get(table), own, "the tenant scope", "its own rows");
        }
        // The system scope runs on its own pool, as the system role: its policies are the ones probed.
        // A connection as the application role itself cannot act as the system role, and lints the
        // tenant scope only.
        if (session.canActAsSystem()) {
            session.settings("", "system");
            for (LintTable table : probed) {
                reaches(run, table, systemPolicies, observations.get(table), other, "the system scope",
                        table.tenantScoped() ? "every tenant's rows" : "the table's rows");
            }
        }
        for (Map.Entry<LintTable, Observations> entry : observations.entrySet()) {
            report(run, entry.getKey(), policies.getOrDefault(entry.getKey().oid(), List.of()), entry.getValue());
        }
    }

    private static void report(LintRun run, LintTable table, List<Policy> policies, Observations seen) {
        String app = run.appRole;
        if (seen.error != null) {
            run.add(table, "policies", Rule.POLICY_ERROR, "Evaluating the policies of " + table.display() + " as " + app
                    + " fails " + seen.error + ": queries on the table fail there instead of returning no rows.",
                    "Read the tenant through sentinel.current_tenant_id(), which is null when no tenant is set (not"
                    + " current_setting(...)::uuid, which fails on an unset or empty setting), and let " + app
                    + " read whatever the policies read.");
        }
        if (!seen.leaks.isEmpty()) {
            String object = seen.leakingPolicies.isEmpty() ? "policies" : "policy " + String.join(", ", seen.leakingPolicies);
            run.add(table, object, Rule.POLICY_LEAKS, "As " + app + ", rows that are not the current tenant's get"
                    + " through row-level security: " + String.join("; ", seen.leaks) + ". A connection that forgot"
                    + " its tenant (or set another) reaches other tenants' data, as in the seed system whose policy"
                    + " had an IS NULL fallback.", "Compare with the current tenant and nothing else, in USING and"
                    + " WITH CHECK: tenant_id = (select sentinel.current_tenant_id()), no OR ... IS NULL fallback"
                    + " (sentinel.enable_tenant_rls creates exactly that); do cross-tenant work in the system scope.");
        }
        if (!seen.missing.isEmpty()) {
            String message = policies.isEmpty()
                    ? "Row-level security is on but no policy of " + table.display() + " applies to " + app
                            + " (PostgreSQL then denies everything): "
                    : "The policies of " + table.display() + " shut out a scope that needs the table: ";
            run.add(table, "policies", Rule.POLICY_MISSING, message + String.join("; ", seen.missing) + ".",
                    table.tenantScoped()
                            ? "Call sentinel.enable_tenant_rls('" + table.sqlName() + "') instead of writing the"
                                    + " policies by hand (it creates tenant_scope and system_scope), or add the missing one."
                            : "Call sentinel.enable_system_rls('" + table.sqlName() + "') (the system_scope policy),"
                                    + " or add the missing policy.");
        }
    }

    /** Rows that are not the current tenant's must stay out of reach. */
    private static void leaks(LintRun run, LintTable table, Map<Long, List<Policy>> policies, Observations seen,
            String probeTenant, String state) throws SQLException {
        if (seen.error != null) {
            return;
        }
        try {
            Set<Command> passing = EnumSet.noneOf(Command.class);
            Set<String> culprits = new LinkedHashSet<>();
            evaluate(run, table, policies.getOrDefault(table.oid(), List.of()), probeTenant, passing, culprits);
            long visible = 0;
            if (table.privileges().select() && !run.appSuperuser && !run.appBypassRls && !run.ownedByApp(table)) {
                visible = run.session.single("select count(*) from (select from " + table.sqlName() + " limit "
                        + COUNT_LIMIT + ") as visible", row -> row.getLong(1));
            }
            List<String> parts = new ArrayList<>();
            if (visible > 0) {
                parts.add((visible >= COUNT_LIMIT ? "at least " : "") + visible + " of the table's rows "
                        + (visible == 1 ? "is" : "are") + " visible");
            }
            if (!passing.isEmpty()) {
                parts.add("a row of another tenant passes the policies for " + join(passing));
                seen.leakingPolicies.addAll(culprits);
            }
            if (!parts.isEmpty()) {
                seen.leaks.add(state + ", " + String.join(", and ", parts));
            }
        } catch (SQLException e) {
            seen.error = state + " (" + e.getMessage().strip() + ")";
            run.session.restart();
        }
    }

    /** The scope must reach the rows it is for. */
    private static void reaches(LintRun run, LintTable table, Map<Long, List<Policy>> policies, Observations seen,
            String probeTenant, String scope, String rows) throws SQLException {
        if (seen.error != null) {
            return;
        }
        try {
            Set<Command> passing = EnumSet.noneOf(Command.class);
            evaluate(run, table, policies.getOrDefault(table.oid(), List.of()), probeTenant, passing, new LinkedHashSet<>());
            Set<Command> blocked = EnumSet.noneOf(Command.class);
            for (Command command : List.of(Command.SELECT, Command.INSERT)) {
                if (command.granted(table.privileges()) && !passing.contains(command)) {
                    blocked.add(command);
                }
            }
            if (!blocked.isEmpty()) {
                seen.missing.add(scope + " cannot " + join(blocked) + " " + rows);
            }
        } catch (SQLException e) {
            seen.error = "in " + scope + " (" + e.getMessage().strip() + ")";
            run.session.restart();
        }
    }

    /**
     * Evaluates the applicable policies on a probe row and adds the commands it passes, and the
     * permissive policies that let it through.
     */
    private static void evaluate(LintRun run, LintTable table, List<Policy> policies, String probeTenant,
            Set<Command> passing, Set<String> culprits) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (Policy policy : policies) {
            for (Command command : Command.values()) {
                String expression = policy.covers(command) ? policy.expression(command) : null;
                if (expression != null && command.granted(table.privileges()) && !expressions.contains(expression)) {
                    expressions.add(expression);
                    columns.add("coalesce((" + expression + "), false)");
                }
            }
        }
        boolean[] results = new boolean[expressions.size()];
        if (!expressions.isEmpty()) {
            String json = table.tenantScoped()
                    ? "{\"" + table.tenantColumn() + "\": \"" + probeTenant + "\"}" : "{}";
            String sql = "select " + String.join(", ", columns) + " from jsonb_populate_record(null::"
                    + table.sqlName() + ", ?::jsonb) as " + Session.quote(table.name());
            run.session.single(sql, (ResultSet row) -> {
                for (int i = 0; i < results.length; i++) {
                    results[i] = row.getBoolean(i + 1);
                }
                return null;
            }, json);
        }
        for (Command command : Command.values()) {
            if (!command.granted(table.privileges())) {
                continue;
            }
            boolean permitted = false;
            boolean restricted = false;
            Set<String> letThrough = new LinkedHashSet<>();
            for (Policy policy : policies) {
                String expression = policy.covers(command) ? policy.expression(command) : null;
                if (expression == null) {
                    continue;
                }
                boolean value = results[expressions.indexOf(expression)];
                if (policy.permissive() && value) {
                    permitted = true;
                    letThrough.add(policy.name());
                } else if (!policy.permissive() && !value) {
                    restricted = true;
                }
            }
            if (permitted && !restricted) {
                passing.add(command);
                culprits.addAll(letThrough);
            }
        }
    }

    private static String join(Set<Command> commands) {
        List<String> names = new ArrayList<>();
        commands.forEach(command -> names.add(command.name()));
        return String.join(", ", names);
    }
}
