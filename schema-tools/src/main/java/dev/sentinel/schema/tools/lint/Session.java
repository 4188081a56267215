package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.tools.internal.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The linter's one read-only transaction on the caller's connection, acting as the application
 * role. The session's {@code search_path} is left as it is: a policy's expression is deparsed and
 * evaluated under the same path, and functions it calls resolve names as they would for the
 * application. It is always rolled back; after an error it is rolled back and begun again
 * with the same tenant settings. Not thread-safe.
 */
final class Session {

    /** Reads one row. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final Connection connection;
    private final String appRole;
    private final String systemRole;
    private final boolean tenantNeverSet;
    private String tenant;
    private String scope;

    private Session(Connection connection, String appRole, String systemRole, boolean tenantNeverSet) {
        this.connection = connection;
        this.appRole = appRole;
        this.systemRole = systemRole;
        this.tenantNeverSet = tenantNeverSet;
    }

    /**
     * Begins the transaction on a connection that the caller has switched to manual commit.
     *
     * @param connection the connection
     * @param appRole the application role, a validated plain identifier
     * @param systemRole the system role, which the session becomes in the system scope
     * @return the session
     * @throws SQLException if the connection cannot become the application role
     */
    static Session begin(Connection connection, String appRole, String systemRole) throws SQLException {
        boolean neverSet;
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select current_setting('" + SchemaNames.TENANT_SETTING
                        + "', true) is null and current_setting('" + SchemaNames.SCOPE_SETTING + "', true) is null")) {
            row.next();
            neverSet = row.getBoolean(1);
        }
        connection.rollback();
        Session session = new Session(connection, appRole, systemRole, neverSet);
        session.start();
        return session;
    }

    private void start() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set transaction read only");
            becomeRole(statement, "system".equals(scope) ? systemRole : appRole);
        }
        if (tenant != null) {
            apply();
        }
    }

    private void becomeRole(Statement statement, String role) throws SQLException {
        try {
            // The role name is a validated plain identifier (Roles), so it is safe unquoted.
            statement.execute("set local role " + role);
        } catch (SQLException e) {
            String which = role.equals(appRole) ? "the application role " : "the system role ";
            throw new SQLException("SchemaLinter: this connection cannot act as " + which + role + " ("
                    + e.getMessage() + "). Lint with a superuser connection, a member of " + role
                    + ", or a connection as " + role + " itself.", e.getSQLState(), e);
        }
    }

    /**
     * Whether this connection may act as the system role, to probe the system scope as its pool
     * does: a superuser's or a member's may, the application role's own may not.
     *
     * @return whether it may
     * @throws SQLException if the catalog cannot be read
     */
    boolean canActAsSystem() throws SQLException {
        return single("select exists (select from pg_catalog.pg_roles where rolname = ?)"
                + " and pg_catalog.pg_has_role(session_user, ?, 'MEMBER')", row -> row.getBoolean(1), systemRole, systemRole);
    }

    /**
     * Whether {@code sentinel.tenant_id} and {@code sentinel.scope} had never been set on this
     * session when the linter began: then, until {@link #settings} is first called, the policies
     * see them as unset ({@code current_setting(..., true)} is null), the state of a fresh
     * connection.
     *
     * @return true if the unset state can be tested
     */
    boolean tenantNeverSet() {
        return tenantNeverSet;
    }

    /**
     * Sets the transaction-local tenant settings, as Sentinel's runtime sends them, and acts as the
     * role whose pool sends them: the system role in the system scope, else the application role.
     *
     * @param tenantId the value of {@code sentinel.tenant_id} ({@code ""} for none)
     * @param scopeName the value of {@code sentinel.scope}
     * @throws SQLException if the server refuses
     */
    void settings(String tenantId, String scopeName) throws SQLException {
        boolean roleChanges = "system".equals(scopeName) != "system".equals(scope);
        this.tenant = tenantId;
        this.scope = scopeName;
        if (roleChanges) {
            try (Statement statement = connection.createStatement()) {
                becomeRole(statement, "system".equals(scopeName) ? systemRole : appRole);
            }
        }
        apply();
    }

    private void apply() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select set_config(?, ?, true), set_config(?, ?, true)")) {
            statement.setString(1, SchemaNames.TENANT_SETTING);
            statement.setString(2, tenant);
            statement.setString(3, SchemaNames.SCOPE_SETTING);
            statement.setString(4, scope);
            statement.executeQuery().close();
        }
    }

    /**
     * Rolls back a transaction that an error aborted and begins it again, with the same settings.
     *
     * @throws SQLException if that fails
     */
    void restart() throws SQLException {
        connection.rollback();
        start();
    }

    /**
     * Runs a query and reads every row.
     *
     * @param sql the query, with {@code ?} parameters
     * @param reader reads one row
     * @param parameters the parameters: strings, booleans, numbers, {@code String[]} as {@code text[]},
     *     {@code Long[]} as {@code int8[]}
     * @param <T> what a row becomes
     * @return the rows, in order
     * @throws SQLException if the query fails
     */
    <T> List<T> query(String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        return Catalog.query(connection, sql, reader::read, parameters);
    }

    /**
     * The connection, inside this session's transaction, for the shared catalog reads
     * ({@link Catalog}).
     *
     * @return the connection
     */
    Connection connection() {
        return connection;
    }

    /**
     * Runs a query that returns exactly one row.
     *
     * @param sql the query
     * @param reader reads the row
     * @param parameters the parameters, as for {@link #query}
     * @param <T> what the row becomes
     * @return the row
     * @throws SQLException if the query fails or returns no row
     */
    <T> T single(String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        List<T> rows = query(sql, reader, parameters);
        if (rows.size() != 1) {
            throw new SQLException("SchemaLinter: expected one row from " + sql + ", got " + rows.size());
        }
        return rows.get(0);
    }

    /**
     * Quotes an identifier for SQL, as {@code quote_ident} would always quote.
     *
     * @param identifier a name
     * @return the quoted name
     */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
