package dev.sentinel.core.internal;

import dev.sentinel.core.DatabaseException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What PostgreSQL cannot refuse the runtime role, where it applies to this deployment: a role that
 * logs in by password may change that password; sessions of one role may end each other
 * ({@code pg_terminate_backend}) and read each other's query text. Stateless; thread-safe.
 */
public final class SessionLimits {

    private static final String QUERY = """
            select current_user as role,
                   coalesce((select s.client_dn is not null from pg_catalog.pg_stat_ssl s where s.pid = pg_catalog.pg_backend_pid()),
                            false) as certificate,
                   (select count(*) from pg_catalog.pg_stat_activity a
                     where a.usename = current_user and a.pid <> pg_catalog.pg_backend_pid()
                       and a.query is distinct from '<insufficient privilege>') as visible_sessions
            """;

    private SessionLimits() {
    }

    /**
     * Lists the limits that apply to the role {@code dataSource} connects as.
     *
     * @param dataSource the runtime data source
     * @return one sentence per limit, with its mitigation
     * @throws DatabaseException if the catalog cannot be read
     */
    public static List<String> limits(DataSource dataSource) {
        return CatalogRead.run(dataSource, "the runtime role's sessions", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(QUERY); ResultSet row = statement.executeQuery()) {
                row.next();
                String role = row.getString("role");
                List<String> limits = new ArrayList<>();
                if (!row.getBoolean("certificate")) {
                    limits.add("the runtime role " + role + " signs in without a client certificate: if it uses a password, any"
                            + " session of it can change that password (ALTER ROLE ... PASSWORD) and lock the service out; use"
                            + " certificate authentication (hostssl ... cert in pg_hba.conf)");
                }
                if (row.getLong("visible_sessions") > 0) {
                    limits.add("other sessions of the runtime role " + role + " are connected: sessions of one role can read each"
                            + " other's query text (pg_stat_activity) and end each other (pg_terminate_backend); give each service"
                            + " or pool its own role");
                }
                return limits;
            }
        });
    }
}
