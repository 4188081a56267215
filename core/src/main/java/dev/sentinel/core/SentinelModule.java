package dev.sentinel.core;

import java.util.List;
import java.util.function.Function;
import org.jooq.Table;

/**
 * A module on top of Sentinel's kernel, such as the agency domain ({@code sentinel-agency}): tables
 * in a PostgreSQL schema of its own, created by its own migrations with their own history, and
 * repositories that a transaction reaches through {@link Tx#attach(Class)}. Register it with
 * {@link Sentinel.Builder#module(SentinelModule)}:
 *
 * <pre>{@code
 * Sentinel sentinel = Sentinel.builder()
 *         .dataSource(appDataSource)
 *         .migrateWith(ownerDataSource)      // applies the kernel's, then the module's migrations
 *         .module(Agency.module())
 *         .build();
 *
 * sentinel.tenant(tenantId, actor).inTransaction(tx -> tx.attach(Ledger.class).record(entry));
 * }</pre>
 *
 * <p>The kernel knows no module: a module uses only the public API ({@link Tx}, the generic
 * repository, {@code tx.dsl()}), exactly as a service's own repositories do, and a service registers
 * its own with {@link Sentinel.Builder#extension(Class, Function)}. Implementations are immutable
 * and thread-safe.
 */
public interface SentinelModule {

    /**
     * The PostgreSQL schema that holds the module's tables and its Flyway history.
     *
     * @return the schema, such as {@code agency}; never Sentinel's own
     */
    String schema();

    /**
     * Where the module's migrations are, applied after the kernel's and before the service's.
     *
     * @return Flyway locations, such as {@code classpath:db/agency}
     */
    List<String> migrationLocations();

    /**
     * Registers the types that {@link Tx#attach(Class)} hands out for this module.
     *
     * @param extensions where to register them
     */
    void registerExtensions(Extensions extensions);

    /**
     * The module's tenant tables, which {@link Sentinel#exportTenant} writes into a tenant's archive:
     * the generated jOOQ tables, each with a {@code tenant_id} column and a primary key.
     *
     * @return the tables; none by default
     */
    default List<Table<?>> tenantTables() {
        return List.of();
    }

    /** Where a module registers its extensions; used while the builder is configured, before {@link Sentinel.Builder#build()}. */
    interface Extensions {

        /**
         * Registers a type that {@link Tx#attach(Class)} returns, made anew for each call from the
         * transaction.
         *
         * @param type the type callers ask for, usually an interface such as {@code Ledger}
         * @param factory makes an instance bound to a transaction
         * @param <T> the type
         * @throws ConfigurationException if the type is registered already
         */
        <T> void add(Class<T> type, Function<? super Tx, ? extends T> factory);
    }
}
