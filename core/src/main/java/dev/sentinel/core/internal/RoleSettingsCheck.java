package dev.sentinel.core.internal;

import dev.sentinel.core.DatabaseException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Finds the per-role and per-database defaults ({@code ALTER ROLE ... SET}, {@code ALTER DATABASE
 * ... SET}) that reach the runtime role's sessions and could change how Sentinel's transactions
 * run. PostgreSQL lets every role set its own defaults, so the application role itself (raw SQL
 * through {@code tx.dsl()}) can poison every future connection: Sentinel pins these settings in
 * each transaction, and this check says which defaults to remove. Stateless; thread-safe.
 */
public final class RoleSettingsCheck {

    /** Settings that change whether and how a transaction runs, or what it sees. */
    private static final Set<String> WATCHED = Set.of("default_transaction_read_only", "default_transaction_isolation",
            "default_transaction_deferrable", "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
            "idle_session_timeout", "transaction_timeout", "row_security", "search_path", "session_replication_role",
            "temp_tablespaces", "default_tablespace", "role", "session_authorization", "check_function_bodies");

    private static final String QUERY = """
            select r.rolname, d.datname, s.setrole <> 0 as for_role, s.setconfig
              from pg_catalog.pg_db_role_setting s
              join pg_catalog.pg_roles r on r.rolname = current_user
              left join pg_catalog.pg_database d on d.oid = s.setdatabase
             where s.setrole in (0, r.oid)
               and (s.setdatabase = 0 or d.datname = current_database())
             order by s.setrole desc, s.setdatabase desc
            """;

    private RoleSettingsCheck() {
    }

    /**
     * Lists the defaults that reach the role {@code dataSource} connects as, each with the
     * statement that removes it.
     *
     * @param dataSource the runtime data source
     * @return one sentence per default to remove; empty if there is none
     * @throws DatabaseException if the catalog cannot be read
     */
    public static List<String> problems(DataSource dataSource) {
        return CatalogRead.run(dataSource, "the runtime role's per-role settings", connection -> {
            List<String> problems = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(QUERY); ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    String role = row.getString("rolname");
                    String database = row.getString("datname");
                    boolean forRole = row.getBoolean("for_role");
                    Array config = row.getArray("setconfig");
                    for (String entry : (String[]) config.getArray()) {
                        String name = entry.substring(0, Math.max(0, entry.indexOf('='))).toLowerCase(Locale.ROOT);
                        if (WATCHED.contains(name) || name.startsWith("sentinel.")) {
                            problems.add(describe(role, database, forRole, entry, name));
                        }
                    }
                }
            }
            return problems;
        });
    }

    private static String describe(String role, String database, boolean forRole, String entry, String name) {
        String target = forRole
                ? "ALTER ROLE " + quote(role) + (database == null ? "" : " IN DATABASE " + quote(database))
                : "ALTER DATABASE " + quote(database);
        String where = forRole
                ? "for role " + role + (database == null ? " in every database" : " in database " + database)
                : "for every role in database " + database;
        return "the default " + entry + " is set " + where + "; Sentinel pins what it needs in each transaction, but other"
                + " connections of the role inherit it: remove it with " + target + " RESET " + name;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
