package dev.sentinel.schema.tools.lint;

import java.sql.SQLException;
import java.util.List;

/**
 * The rules about the application role: not a superuser, no BYPASSRLS, not a member of an owning
 * role, owner of nothing, and no TRUNCATE (which row-level security does not filter).
 */
final class RoleRules {

    /** Objects in the linted schemas (and the database) that the application role owns. */
    private static final String OWNED = """
            select 'schema' as kind, null::text as table_name, n.nspname::text as name
              from pg_namespace n
             where n.nspname = any(?) and pg_get_userbyid(n.nspowner) = ?
            union all
            select case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                        when 'm' then 'materialized view' when 'S' then 'sequence' when 'f' then 'foreign table'
                        when 'c' then 'type' else 'relation' end,
                   case when c.relkind in ('r', 'p') then n.nspname || '.' || c.relname end,
                   n.nspname || '.' || c.relname
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = any(?) and pg_get_userbyid(c.relowner) = ? and c.relkind not in ('i', 'I', 't')
            union all
            select case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end, null,
                   n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
              from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = any(?) and pg_get_userbyid(p.proowner) = ?
            union all
            select 'type', null, n.nspname || '.' || t.typname
              from pg_type t join pg_namespace n on n.oid = t.typnamespace
             where n.nspname = any(?) and pg_get_userbyid(t.typowner) = ? and t.typtype in ('d', 'e', 'r')
            union all
            select 'database', null, d.datname::text
              from pg_database d
             where d.datname = current_database() and pg_get_userbyid(d.datdba) = ?
             order by 1, 3
            """;

    private RoleRules() {
    }

    static void check(LintRun run) throws SQLException {
        String app = run.appRole;
        String bootstrap = "Run Sentinel's role bootstrap again (DatabaseBootstrap; it re-asserts the attributes)";
        if (run.appSuperuser) {
            run.add(null, app, Rule.APP_ROLE_SUPERUSER, "The application role " + app + " is a superuser:"
                    + " superusers skip row-level security, even where it is forced, so every tenant's rows are"
                    + " open to it.", bootstrap + ", or: ALTER ROLE " + app + " NOSUPERUSER.");
        }
        if (run.appBypassRls) {
            run.add(null, app, Rule.APP_ROLE_BYPASSRLS, "The application role " + app + " has BYPASSRLS, so"
                    + " row-level security never applies to it and every tenant's rows are open to it.",
                    bootstrap + ", or: ALTER ROLE " + app + " NOBYPASSRLS.");
        }
        for (String owner : run.ownersAppBelongsTo) {
            run.add(null, app, Rule.APP_ROLE_MEMBER_OF_OWNER, "The application role " + app + " is a member of "
                    + owner + ", which owns Sentinel's or the service's objects: it can act as the owner, disable or"
                    + " drop the policies and rewrite any tenant's rows.",
                    "REVOKE " + owner + " FROM " + app + " (the role bootstrap does).");
        }
        String[] schemas = run.schemas();
        List<String[]> owned = run.session.query(OWNED,
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)},
                schemas, app, schemas, app, schemas, app, schemas, app, app);
        for (String[] object : owned) {
            LintTable table = object[1] == null ? null : run.tables.stream()
                    .filter(t -> t.display().equals(object[1])).findFirst().orElse(null);
            run.add(table, object[0] + " " + object[2], Rule.APP_ROLE_OWNS_OBJECTS, "The application role " + app
                    + " owns the " + object[0] + " " + object[2] + ". An owner can alter or drop it; for a table it can"
                    + " disable row-level security or drop its policies, and unless it is forced the policies do not"
                    + " even apply to the owner.", "Create objects as the owner role (run migrations as "
                    + run.options.roles().owner() + "), or: ALTER " + object[0].toUpperCase(java.util.Locale.ROOT)
                    + " " + object[2] + " OWNER TO " + run.options.roles().owner() + ".");
        }
        for (LintTable table : run.tables) {
            if (table.privileges().truncate() && !run.ownerPrivileges(table) && !AuditRules.appendOnly(run, table)) {
                run.add(table, "TRUNCATE", Rule.APP_ROLE_TRUNCATE, "The application role " + app + " may TRUNCATE "
                        + table.display() + ", and TRUNCATE ignores row-level security: one statement empties the"
                        + " table for every tenant.", "REVOKE TRUNCATE ON " + table.sqlName() + " FROM " + app + ".");
            }
        }
    }
}
