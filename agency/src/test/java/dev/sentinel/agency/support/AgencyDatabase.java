package dev.sentinel.agency.support;

import dev.sentinel.agency.Agency;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The agency's test database and Sentinel, built as a service that uses the module builds them:
 * the kernel's migrations, then the agency's (schema {@code agency}), and the module registered on
 * the Sentinel so that {@code tx.attach(Invoices.class)} works.
 */
public final class AgencyDatabase {

    private AgencyDatabase() {
    }

    /**
     * A test database with the kernel's and the agency's migrations, linted.
     *
     * @return the extension, to register on a static field
     */
    public static SentinelDatabase create() {
        return SentinelDatabase.builder().moduleMigrations(Agency.SCHEMA, Agency.MIGRATION_LOCATION).build();
    }

    /**
     * A Sentinel builder on the database's application role, with the agency module registered.
     *
     * @param db the started database
     * @return the builder, to configure further
     */
    public static Sentinel.Builder sentinel(SentinelDatabase db) {
        return Sentinel.builder()
                .jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword())    // the tenants' pool
                .systemDataSource(db.systemDataSource())                        // the system scope's pool
                .module(Agency.module());
    }

    /**
     * The constraint name a refusal carries, as the service sees it. On plain PostgreSQL, the name
     * the constraint or the trigger raised with. On a Citus coordinator, which relays a worker's
     * error with its SQLSTATE and message but without the constraint field: a key's or a check's
     * name, which Sentinel reads back from the message, and none for a name a trigger raised with
     * (no such constraint in the catalog; the trigger's message does not name it).
     *
     * @param db the database
     * @param constraint the name raised
     * @return {@code constraint}, or null on Citus for a trigger's
     */
    public static String relayedConstraint(SentinelDatabase db, String constraint) {
        if (!ClusterCheck.isCitus(db.adminDataSource())) {
            return constraint;
        }
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement statement = admin.prepareStatement("select exists (select from pg_constraint where conname = ?)")) {
            statement.setString(1, constraint);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1) ? constraint : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The table a trigger's refusal names: its own on plain PostgreSQL, none on a Citus coordinator
     * for raw SQL (a jOOQ statement's table is named there too).
     *
     * @param db the database
     * @param table the table
     * @return {@code table}, or null on Citus
     */
    public static String triggerTable(SentinelDatabase db, String table) {
        return ClusterCheck.isCitus(db.adminDataSource()) ? null : table;
    }
}
