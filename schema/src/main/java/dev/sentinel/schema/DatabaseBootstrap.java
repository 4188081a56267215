package dev.sentinel.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The steps that come before Sentinel's migrations and need a superuser: creating the two roles
 * (cluster-wide, so not part of the versioned migrations) and a database owned by the owner role.
 *
 * <p>The role script ships in this jar as {@code dev/sentinel/schema/bootstrap-roles.sql}; it is
 * idempotent. An operator can print it with {@code java -cp sentinel-schema.jar
 * dev.sentinel.schema.DatabaseBootstrap [owner] [app]} and pipe it to {@code psql}. The methods here
 * are stateless and thread-safe.
 */
public final class DatabaseBootstrap {

    private static final String SCRIPT = "/dev/sentinel/schema/bootstrap-roles.sql";
    /** The script's marker line before a part that must run after the parts before it committed. */
    private static final String NEW_TRANSACTION = "-- sentinel:new-transaction\n";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private DatabaseBootstrap() {
    }

    /**
     * The role bootstrap script with the role names filled in.
     *
     * @param roles the role names
     * @return SQL text, ready for {@code psql} or a JDBC statement
     */
    public static String roleScript(Roles roles) {
        String script = readScript();
        for (Map.Entry<String, String> placeholder : roles.placeholders().entrySet()) {
            script = script.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
        }
        return script;
    }

    /**
     * Creates the roles if they are missing and re-asserts their attributes. Idempotent.
     *
     * @param superuser a connection as a superuser; left open, in auto-commit mode
     * @param roles the role names
     * @throws SQLException if the server refuses (typically: the connection is not a superuser)
     */
    public static void bootstrapRoles(Connection superuser, Roles roles) throws SQLException {
        // Statements sent together run in one transaction; the script's parts after a marker must
        // see the roles committed (a Citus coordinator's grant on its workers), so each part is a
        // transaction of its own, as psql, which commits each statement, runs it.
        try (Statement statement = superuser.createStatement()) {
            for (String part : roleScript(roles).split(NEW_TRANSACTION)) {
                statement.execute(part);
            }
        }
    }

    /**
     * Sets a role's password. The password is sent as a string literal and never logged.
     *
     * @param superuser a connection as a superuser
     * @param role the role, a plain identifier such as one of {@link Roles}
     * @param password the new password
     * @throws SQLException if the server refuses
     */
    public static void setPassword(Connection superuser, String role, String password) throws SQLException {
        Roles.requireIdentifier("password target", role);
        Objects.requireNonNull(password, "password");
        try (Statement statement = superuser.createStatement()) {
            statement.execute("ALTER ROLE " + role + " PASSWORD " + literal(password));
        }
    }

    /**
     * Creates a database owned by the owner role, so that the owner may create Sentinel's schema
     * and, on PostgreSQL 15+, objects in the database's {@code public} schema.
     *
     * @param superuser a connection as a superuser, in auto-commit mode
     * @param database the new database's name: lower-case letters, digits and underscores
     * @param roles the roles; the owner role must exist already
     * @throws SQLException if the server refuses, for example because the database exists
     */
    public static void createDatabase(Connection superuser, String database, Roles roles) throws SQLException {
        requireDatabaseName(database);
        try (Statement statement = superuser.createStatement()) {
            statement.execute("CREATE DATABASE " + database + " OWNER " + roles.owner());
        }
    }

    static String requireDatabaseName(String database) {
        Objects.requireNonNull(database, "database");
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Database name '" + database + "' is not a plain SQL"
                    + " identifier; use lower-case letters, digits and underscores, at most 63 characters");
        }
        return database;
    }

    private static String literal(String value) {
        // Standard-conforming strings are on by default since PostgreSQL 9.1: doubling quotes suffices,
        // and E'' is avoided so that backslashes stay literal.
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A password cannot contain a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static String readScript() {
        try (InputStream in = DatabaseBootstrap.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath; is sentinel-schema intact?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SCRIPT, e);
        }
    }

    /**
     * Prints the role script for an operator.
     *
     * @param args optional owner, application and system role names
     */
    public static void main(String[] args) {
        Roles defaults = Roles.defaults();
        Roles roles = new Roles(args.length > 0 ? args[0] : defaults.owner(), args.length > 1 ? args[1] : defaults.app(),
                args.length > 2 ? args[2] : defaults.system());
        System.out.print(roleScript(roles));
    }
}
