package dev.sentinel.example.downstream;

import dev.sentinel.core.Sentinel;
import javax.sql.DataSource;

/**
 * Starts Sentinel for this service: Sentinel's migrations, then the service's own, then the runtime, with
 * the service's repositories registered so that a transaction reaches them with {@code tx.attach(...)}.
 */
public final class SalesService {

    /** Where this service's Flyway migrations are on the class path (the codegen plugin reads the same files). */
    public static final String MIGRATIONS = "classpath:db/migration";

    private SalesService() {
    }

    /**
     * Migrates the database and builds the {@link Sentinel} the service keeps for its lifetime.
     * Fails fast: a migration that fails, or a runtime role that could bypass row-level security,
     * stops the start.
     *
     * @param appDataSource pooled connections as the application role ({@code sentinel_app})
     * @param systemDataSource pooled connections as the system role ({@code sentinel_system}), the
     *     system scope's own
     * @param ownerDataSource a direct connection as the owner role ({@code sentinel_owner}), for the migrations
     * @return the started Sentinel; close it when the service stops
     */
    public static Sentinel start(DataSource appDataSource, DataSource systemDataSource, DataSource ownerDataSource) {
        return Sentinel.builder()
                .dataSource(appDataSource)          // role sentinel_app: row-level security applies
                .systemDataSource(systemDataSource) // role sentinel_system: the system scope's own pool
                .migrateWith(ownerDataSource)       // role sentinel_owner: Sentinel's migrations, then ours
                .serviceMigrations(MIGRATIONS)      // schema public, a Flyway history of its own
                .extension(PipelineRepository.class, PipelineRepository::new)   // tx.attach(PipelineRepository.class)
                .extension(BookingRepository.class, BookingRepository::new)
                .build();
    }
}
