package dev.sentinel.core.reliability;

import static dev.sentinel.core.db.Tables.AUDIT_LOG;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Isolation;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.support.PgBouncer;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sentinel behind PgBouncer in transaction pooling mode (Debian's 1.18, so {@code prepareThreshold=0}):
 * two tenants' transactions, at every isolation level, from several threads and client
 * connections, interleave on one or two server connections. Inside every transaction the test
 * reads the settings PostgreSQL sees and the rows row-level security lets through: the tenant,
 * scope, actor, request id, isolation level and read-only flag are exactly that transaction's,
 * and no row of the other tenant is visible. Some transactions leave session-level values of the
 * other tenant (and the system scope) on their server connection on purpose, as buggy raw SQL
 * would; the next transaction on that server connection, whoever's it is, must not see them.
 *
 * <p>Skipped, with the reason, where PgBouncer is not installed; {@code .ci/run} installs it.
 */
class PgBouncerTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final int TRANSACTIONS_PER_POOL = 2_000;
    private static final int THREADS_PER_POOL = 3;
    private static final List<Actor> ACTORS = List.of(
            Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000a11c")),
            Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-000000000b0b")),
            Actor.service("billing-job"));

    private static PgBouncer bouncer;
    private static Sentinel direct;
    private static UUID tenantA;
    private static UUID tenantB;
    private static final AtomicLong TRANSACTIONS = new AtomicLong();
    private static final AtomicLong HANDOVERS = new AtomicLong();
    private static final AtomicLong POLLUTED = new AtomicLong();
    private static final Map<String, AtomicInteger> BY_LEVEL = new ConcurrentHashMap<>();
    /** Committed writes by request id: the audit row each must have left, with its tenant and actor. */
    private static final Map<String, Map.Entry<UUID, Actor>> AUDITED = new ConcurrentHashMap<>();

    private static final String NOT_INSTALLED = "pgbouncer not installed: " + PgBouncer.BINARY + " is missing (Debian: apt-get"
            + " install pgbouncer; .ci/run installs it), so the PgBouncer tests are skipped";

    @BeforeAll
    static void startPgBouncer() throws IOException {
        if (!PgBouncer.installed()) {
            // Surefire shows no reason for a class skipped in @BeforeAll: say it here, skip each test below.
            System.out.println("PgBouncerTest: " + NOT_INSTALLED);
            return;
        }
        bouncer = PgBouncer.start(db.jdbcUrl(), db.roles().app(), db.rolePassword(), Map.of("one", 1, "two", 2));
        direct = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        tenantA = Tenants.create(direct);
        tenantB = Tenants.create(direct);
        for (UUID tenant : List.of(tenantA, tenantB)) {
            direct.tenant(tenant, ACTORS.getFirst()).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("seed")));
        }
    }

    @BeforeEach
    void requirePgBouncer() {
        assumeTrue(bouncer != null, NOT_INSTALLED);
    }

    @AfterAll
    static void stopPgBouncer() {
        if (bouncer != null) {
            bouncer.close();
            System.out.println("PgBouncerTest: " + TRANSACTIONS.get() + " transactions of 2 tenants interleaved through PgBouncer"
                    + " (transaction pooling, 1 and 2 server connections) by isolation " + new java.util.TreeMap<>(BY_LEVEL)
                    + "; " + HANDOVERS.get() + " times a server connection passed to the other tenant; " + POLLUTED.get()
                    + " transactions left session-level settings of the other tenant behind; none leaked");
        }
    }

    @Test
    void noSettingOrRowLeaksBetweenTransactionsSharingOneServerConnection() throws Exception {
        interleave("one", 1);
    }

    @Test
    void noSettingOrRowLeaksBetweenTransactionsSharingTwoServerConnections() throws Exception {
        interleave("two", 2);
    }

    private void interleave(String pool, int serverConnections) throws Exception {
        Map<UUID, AtomicInteger> written = Map.of(tenantA, new AtomicInteger(), tenantB, new AtomicInteger());
        Map<Integer, UUID> lastTenantOnBackend = new ConcurrentHashMap<>();
        Set<Integer> backends = ConcurrentHashMap.newKeySet();
        long handoversBefore = HANDOVERS.get();
        long beforeA = widgets(tenantA);
        long beforeB = widgets(tenantB);
        try (Sentinel through = Sentinel.builder().jdbcUrl(bouncer.jdbcUrl(pool), db.roles().app(), db.rolePassword())
                .maximumPoolSize(THREADS_PER_POOL * 2).build()) {
            ExecutorService threads = Executors.newFixedThreadPool(THREADS_PER_POOL);
            List<Future<?>> work = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < THREADS_PER_POOL; t++) {
                work.add(threads.submit(() -> {
                    for (int n = next.getAndIncrement(); n < TRANSACTIONS_PER_POOL; n = next.getAndIncrement()) {
                        oneTransaction(through, pool + "-" + n, n, written, lastTenantOnBackend, backends);
                    }
                    return null;
                }));
            }
            threads.shutdown();
            for (Future<?> future : work) {
                future.get(5, TimeUnit.MINUTES);
            }
        } catch (AssertionError | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getMessage() + "\nPgBouncer's log:\n" + bouncer.log(), e);
        }
        assertThat(backends).describedAs("PostgreSQL backends behind the pool").isNotEmpty().hasSizeLessThanOrEqualTo(serverConnections);
        assertThat(HANDOVERS.get() - handoversBefore).describedAs("server connections passed between the tenants").isPositive();
        assertThat(widgets(tenantA) - beforeA).describedAs("rows added to tenant A: exactly its own committed writes")
                .isEqualTo(written.get(tenantA).get());
        assertThat(widgets(tenantB) - beforeB).describedAs("rows added to tenant B: exactly its own committed writes")
                .isEqualTo(written.get(tenantB).get());
        assertAuditRowsCarryTheirOwnTransactionsSettings(pool);
    }

    /**
     * The audit trigger reads tenant, actor and request id from the transaction's settings: behind the
     * pooler, every audit row must name its own transaction's, never a neighbour's or a polluter's.
     */
    private static void assertAuditRowsCarryTheirOwnTransactionsSettings(String pool) {
        Map<String, Map.Entry<UUID, Actor>> expected = new java.util.HashMap<>();
        AUDITED.forEach((request, owner) -> {
            if (request.startsWith(pool + "-")) {
                expected.put(request, owner);
            }
        });
        var rows = direct.system(Tenants.SETUP).inTransaction(tx -> tx.dsl()
                .select(AUDIT_LOG.REQUEST_ID, AUDIT_LOG.TENANT_ID, AUDIT_LOG.ACTOR_ID, AUDIT_LOG.ACTOR_LABEL)
                .from(AUDIT_LOG)
                .where(AUDIT_LOG.ENTITY_TYPE.eq("public.widgets").and(AUDIT_LOG.REQUEST_ID.startsWith(pool + "-")))
                .fetch());
        assertThat(rows).describedAs("one audit row per committed write through %s", pool).hasSize(expected.size());
        for (var row : rows) {
            Map.Entry<UUID, Actor> owner = expected.get(row.value1());
            assertThat(owner).describedAs("audit row of request %s", row.value1()).isNotNull();
            assertThat(row.value2()).describedAs("tenant of the audit row of %s", row.value1()).isEqualTo(owner.getKey());
            assertThat(row.value3()).describedAs("actor id of the audit row of %s", row.value1())
                    .isEqualTo(owner.getValue().userId().orElse(null));
            assertThat(row.value4()).describedAs("actor label of the audit row of %s", row.value1())
                    .isEqualTo(owner.getValue().serviceName().orElse(null));
        }
        System.out.println("PgBouncerTest: " + rows.size() + " audit rows through pool '" + pool
                + "', each with its own transaction's tenant, actor and request id");
    }

    private static void oneTransaction(Sentinel through, String name, int n, Map<UUID, AtomicInteger> written,
            Map<Integer, UUID> lastTenantOnBackend, Set<Integer> backends) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UUID tenant = random.nextBoolean() ? tenantA : tenantB;
        UUID other = tenant.equals(tenantA) ? tenantB : tenantA;
        Actor actor = ACTORS.get(random.nextInt(ACTORS.size()));
        Isolation level = switch (n % 4) {
            case 0 -> null;
            case 1 -> Isolation.READ_COMMITTED;
            case 2 -> Isolation.REPEATABLE_READ;
            default -> Isolation.SERIALIZABLE;
        };
        boolean readOnly = level != null && level != Isolation.READ_COMMITTED && random.nextBoolean();
        boolean writes = !readOnly && (level == null || level == Isolation.READ_COMMITTED) && random.nextInt(4) == 0;
        boolean pollutes = !readOnly && random.nextInt(20) == 0;
        TxOptions options = TxOptions.defaults().withRequestId(name);
        if (level != null) {
            options = options.withIsolation(level).withRetries(3);
        }
        if (readOnly) {
            options = options.withReadOnly();
        }
        String expectedLevel = level == null ? "read committed" : level.sql().toLowerCase(java.util.Locale.ROOT);
        through.tenant(tenant, actor).with(options).useTransaction(tx -> {
            Record seen = settings(tx, tenant);
            int backend = seen.get("backend", Integer.class);
            assertThat(seen.get("tenant", String.class)).describedAs("tenant of transaction %s", name).isEqualTo(tenant.toString());
            assertThat(seen.get("scope", String.class)).describedAs("scope of transaction %s", name).isEqualTo("tenant");
            assertThat(seen.get("actor", String.class)).describedAs("actor of transaction %s", name).isEqualTo(actor.settingValue());
            assertThat(seen.get("request", String.class)).describedAs("request id of transaction %s", name).isEqualTo(name);
            assertThat(seen.get("isolation", String.class)).describedAs("isolation of transaction %s", name).isEqualTo(expectedLevel);
            assertThat(seen.get("read_only", String.class)).describedAs("read-only of transaction %s", name).isEqualTo(readOnly ? "on" : "off");
            assertThat(seen.get("foreign_rows", Long.class)).describedAs("other tenants' rows seen by transaction %s", name).isZero();
            assertThat(seen.get("own_rows", Long.class)).describedAs("own rows seen by transaction %s", name).isPositive();
            // PgBouncer gives this server connection to this transaction alone until it ends, so this is exact.
            UUID previous = lastTenantOnBackend.put(backend, tenant);
            if (previous != null && !previous.equals(tenant)) {
                HANDOVERS.incrementAndGet();
            }
            backends.add(backend);
            if (writes) {
                tx.table(WIDGETS).insert(new WidgetsRecord().setName(name));
                tx.afterCommit(() -> written.get(tenant).incrementAndGet());
                tx.afterCommit(() -> AUDITED.put(name, Map.entry(tenant, actor)));
            }
            if (pollutes) {
                // Session level (no LOCAL): outlives this transaction on the server connection, as buggy raw SQL would.
                tx.dsl().execute("set sentinel.tenant_id = '" + other + "'; set sentinel.scope = 'system';"
                        + " set sentinel.actor_id = 'service:polluter'; set sentinel.request_id = 'polluted'");
                tx.afterCommit(POLLUTED::incrementAndGet);
            }
        });
        TRANSACTIONS.incrementAndGet();
        BY_LEVEL.computeIfAbsent((level == null ? "default" : level.name()) + (readOnly ? " read-only" : ""), key -> new AtomicInteger())
                .incrementAndGet();
    }

    /** What PostgreSQL sees in this transaction, in one round trip. */
    private static Record settings(Tx tx, UUID tenant) {
        return tx.dsl().fetchOne("select current_setting('sentinel.tenant_id', true) as tenant, current_setting('sentinel.scope', true) as scope,"
                + " current_setting('sentinel.actor_id', true) as actor, current_setting('sentinel.request_id', true) as request,"
                + " current_setting('transaction_isolation') as isolation, current_setting('transaction_read_only') as read_only,"
                + " pg_backend_pid() as backend,"
                + " (select count(*) from widgets where tenant_id <> ?) as foreign_rows,"
                + " (select count(*) from widgets where tenant_id = ?) as own_rows", tenant, tenant);
    }

    private static long widgets(UUID tenant) {
        return direct.system(Tenants.SETUP).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.TENANT_ID.eq(tenant)));
    }

    @Test
    void withoutPrepareThresholdZeroServerPreparedStatementsCollideBehindPgBouncer() throws SQLException {
        // pgjdbc names a statement S_1 on its fifth execution; two clients sharing one server
        // connection both name theirs S_1. This is why Sentinel's docs require prepareThreshold=0.
        assertThatThrownBy(() -> twoClientsRepeatOneStatement(bouncer.jdbcUrlWithServerPreparedStatements("one")))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isIn("42P05", "26000"));
        assertThat(twoClientsRepeatOneStatement(bouncer.jdbcUrl("one"))).describedAs("with prepareThreshold=0").isEqualTo(12);
    }

    private static int twoClientsRepeatOneStatement(String url) throws SQLException {
        int executed = 0;
        try (Connection first = DriverManager.getConnection(url, db.roles().app(), db.rolePassword());
                Connection second = DriverManager.getConnection(url, db.roles().app(), db.rolePassword())) {
            for (Connection client : List.of(first, second)) {
                for (int i = 0; i < 6; i++) {
                    try (PreparedStatement statement = client.prepareStatement("select ?::int + 1")) {
                        statement.setInt(1, i);
                        try (ResultSet result = statement.executeQuery()) {
                            result.next();
                            executed++;
                        }
                    }
                }
            }
        }
        return executed;
    }
}
