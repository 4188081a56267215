package dev.sentinel.agency.support;

import dev.sentinel.agency.Agency;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.testing.SentinelDatabase;

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
     * A field (constraint or table) that a trigger sets on its refusal, as the service sees it: the
     * trigger's on plain PostgreSQL, none on a Citus coordinator, which relays a worker's error with
     * its SQLSTATE and message but without those fields (a key's or a check's name is read back from
     * the message, and a jOOQ statement's table is named; a trigger's message names neither).
     *
     * @param db the database
     * @param value the value the trigger sets
     * @return {@code value}, or null on Citus
     */
    public static String triggerField(SentinelDatabase db, String value) {
        return ClusterCheck.isCitus(db.adminDataSource()) ? null : value;
    }
}
