package dev.sentinel.bench;

import static dev.sentinel.bench.db.Tables.NOTES;
import static dev.sentinel.bench.db.Tables.PLAIN_NOTES;
import static dev.sentinel.core.db.Tables.TENANTS;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.bench.db.tables.records.NotesRecord;
import dev.sentinel.bench.db.tables.records.PlainNotesRecord;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.schema.Roles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One scenario's world: a connection pool as the application role, a {@link Sentinel} over it, a
 * fresh tenant of its own, an acting user, and the four variants. Benchmarks get theirs from
 * {@link #shared}, opened from the system properties that {@link RunBenchmarks} sets
 * ({@value #URL_PROPERTY}, {@value #USER_PROPERTY}, {@value #PASSWORD_PROPERTY}). Not thread-safe:
 * one benchmark thread at a time.
 */
public final class Fixture implements AutoCloseable {

    /** System property: the JDBC URL of the migrated benchmark database. */
    public static final String URL_PROPERTY = "bench.jdbcUrl";
    /** System property: the application role. */
    public static final String USER_PROPERTY = "bench.user";
    /** System property: its password. */
    public static final String PASSWORD_PROPERTY = "bench.password";

    private static final Map<String, Fixture> SHARED = new ConcurrentHashMap<>();

    private final HikariDataSource pool;
    private final Sentinel sentinel;
    private final UUID tenantId;
    private final UUID userId;
    private final Map<String, NoteOps> variants;
    private HibernateNotes hibernate;
    private List<UUID> seeded;

    private Fixture(DataSource connections, DataSource system) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench");
        config.setDataSource(connections);
        // All variants begin and end their transactions themselves; pgjdbc sends BEGIN with the first statement.
        config.setAutoCommit(false);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(2);
        this.pool = new HikariDataSource(config);
        try {
            this.sentinel = Sentinel.builder().dataSource(pool).systemDataSource(system).build();
            this.tenantId = sentinel.system(Actor.service("bench-setup")).inTransaction(tx -> tx.table(TENANTS)
                    .insert(new TenantsRecord().setSlug("bench-" + Long.toHexString(System.nanoTime())).setName("Benchmark tenant"))
                    .getId());
            this.userId = UUID.randomUUID();
            Actor actor = Actor.user(userId);
            this.variants = Map.of(
                    "jdbc", new JdbcNotes(pool, tenantId, userId),
                    "jooq", new JooqNotes(pool, tenantId, userId),
                    "sentinel", new SentinelNotes<>("sentinel", sentinel, tenantId, actor, NOTES, NotesRecord::new),
                    "sentinelUnaudited", new SentinelNotes<>("sentinelUnaudited", sentinel, tenantId, actor, PLAIN_NOTES,
                            PlainNotesRecord::new));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens a fixture on the database named by the system properties.
     *
     * @return the fixture, with a new tenant
     * @throws IllegalStateException if {@value #URL_PROPERTY} is not set
     */
    public static Fixture open() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException("-D" + URL_PROPERTY + " is not set; run the benchmarks through"
                    + " dev.sentinel.bench.RunBenchmarks (./mvnw -q -Dbench -pl bench -am verify)");
        }
        return open(url, System.getProperty(USER_PROPERTY, "sentinel_app"), System.getProperty(PASSWORD_PROPERTY, ""));
    }

    /**
     * The fixture of a scenario, opened from the system properties on first use and kept for the
     * JVM's life (or until {@link #closeShared()}), so that every run of the scenario's benchmarks
     * in this JVM, whatever the variant or round, works in the same tenant with warm connections.
     *
     * @param scenario the scenario's name
     * @return its fixture
     */
    public static Fixture shared(String scenario) {
        return SHARED.computeIfAbsent(scenario, name -> open());
    }

    /** Closes every {@link #shared} fixture. */
    public static void closeShared() {
        SHARED.values().forEach(Fixture::close);
        SHARED.clear();
    }

    /**
     * Opens a fixture on a migrated benchmark database.
     *
     * @param jdbcUrl the database's URL
     * @param user the application role
     * @param password its password
     * @return the fixture, with a new tenant
     */
    public static Fixture open(String jdbcUrl, String user, String password) {
        return open(dataSource(jdbcUrl, user, password), dataSource(jdbcUrl, Roles.DEFAULT_SYSTEM, password));
    }

    /**
     * Opens a fixture whose pool takes its connections from a DataSource (to count statements).
     *
     * @param connections unpooled connections to the migrated database, as the application role
     * @param system connections as the system role (the benchmarks use the system scope to set up only)
     * @return the fixture, with a new tenant
     */
    static Fixture open(DataSource connections, DataSource system) {
        return new Fixture(connections, system);
    }

    /**
     * Unpooled connections to a database.
     *
     * @param jdbcUrl the database's URL
     * @param user the role
     * @param password its password
     * @return the DataSource
     */
    static DataSource dataSource(String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /**
     * A variant by name.
     *
     * @param name {@code jdbc}, {@code jooq}, {@code hibernate}, {@code sentinel} (on {@code notes})
     *     or {@code sentinelUnaudited} (the same code on {@code plain_notes})
     * @return its operations, bound to this fixture's tenant
     * @throws IllegalArgumentException for another name
     */
    public NoteOps variant(String name) {
        if (name.equals("hibernate")) {
            return hibernate();
        }
        NoteOps ops = variants.get(name);
        if (ops == null) {
            throw new IllegalArgumentException("No variant " + name + "; known: " + variants.keySet());
        }
        return ops;
    }

    /**
     * Plain JDBC.
     *
     * @return the variant
     */
    public NoteOps jdbc() {
        return variants.get("jdbc");
    }

    /**
     * Hand-written jOOQ.
     *
     * @return the variant
     */
    public NoteOps jooq() {
        return variants.get("jooq");
    }

    /**
     * Hibernate ORM with {@code @TenantId}, {@code @SoftDelete} and Envers, on {@code hib_notes};
     * its session factory is built on first use (only the scenarios that measure it pay for it).
     *
     * @return the variant
     */
    public NoteOps hibernate() {
        if (hibernate == null) {
            hibernate = new HibernateNotes(pool, tenantId, userId);
            if (seeded != null) {
                hibernate.readFrom(seeded);
            }
        }
        return hibernate;
    }

    /**
     * Sentinel's repository on the audited {@code notes}.
     *
     * @return the variant
     */
    public NoteOps sentinel() {
        return variants.get("sentinel");
    }

    /**
     * Sentinel's repository on {@code plain_notes}, which has no audit trigger.
     *
     * @return the variant
     */
    public NoteOps sentinelUnaudited() {
        return variants.get("sentinelUnaudited");
    }

    /**
     * Seeds the same rows into {@code notes}, {@code plain_notes} and {@code hib_notes} of this tenant (untimed) and
     * points every variant's reads at them; once per fixture: later calls return the same ids.
     *
     * @param rows how many rows
     * @return their ids, ascending
     */
    public List<UUID> seedReads(int rows) {
        if (seeded != null) {
            return seeded;
        }
        List<UUID> ids = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            ids.add(AbstractNotes.UUIDS.generate());
        }
        try (Connection connection = pool.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL sentinel.tenant_id = '" + tenantId + "'; SET LOCAL sentinel.actor_id = 'service:bench-setup'");
            }
            for (String table : List.of("notes", "plain_notes", "hib_notes")) {
                try (PreparedStatement insert = connection.prepareStatement("insert into " + table
                        + " (tenant_id, id, title, body, priority, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    for (int i = 0; i < rows; i++) {
                        insert.setObject(1, tenantId);
                        insert.setObject(2, ids.get(i));
                        insert.setString(3, "Seeded note " + i);
                        insert.setString(4, AbstractNotes.BODY);
                        insert.setInt(5, i % 10);
                        insert.setObject(6, now);
                        insert.setObject(7, now);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Seeding failed: " + e.getMessage(), e);
        }
        for (NoteOps ops : variants.values()) {
            ops.readFrom(ids);
        }
        if (hibernate != null) {
            hibernate.readFrom(ids);
        }
        seeded = List.copyOf(ids);
        return seeded;
    }

    /**
     * The newest audit row of this tenant for a table and an action, as JSON text, with the columns
     * that both the trigger and the hand-written code fill (ids and times vary, the shape does not).
     *
     * @param entityType the schema-qualified table, e.g. {@code public.notes}
     * @param action e.g. {@code update}
     * @return the row, or {@code none}
     */
    public String latestAudit(String entityType, String action) {
        try (Connection connection = pool.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL sentinel.tenant_id = '" + tenantId + "'");
            }
            try (PreparedStatement select = connection.prepareStatement("select jsonb_build_object('action', action,"
                    + " 'entity_type', entity_type, 'actor_type', actor_type, 'actor_id', actor_id, 'diff', diff, 'meta', meta,"
                    + " 'request_id', request_id)::text from sentinel.audit_log where tenant_id = ? and entity_type = ? and action = ?"
                    + " order by seq desc limit 1")) {
                select.setObject(1, tenantId);
                select.setString(2, entityType);
                select.setString(3, action);
                try (var rs = select.executeQuery()) {
                    String row = rs.next() ? rs.getString(1) : "none";
                    connection.commit();
                    return row;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the audit trail failed: " + e.getMessage(), e);
        }
    }

    /**
     * This fixture's tenant.
     *
     * @return the tenant's id
     */
    public UUID tenantId() {
        return tenantId;
    }

    /** Closes Hibernate, Sentinel and the pool. */
    @Override
    public void close() {
        if (hibernate != null) {
            hibernate.close();
        }
        sentinel.close();
        pool.close();
    }
}
