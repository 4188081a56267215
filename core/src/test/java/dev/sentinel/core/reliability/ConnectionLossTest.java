package dev.sentinel.core.reliability;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.Backends;
import dev.sentinel.core.support.QuietLogs;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backend terminated mid-transaction ({@code pg_terminate_backend}, as an operator or a failover
 * would): the caller gets a {@link ConnectionLostException}, nothing the transaction wrote
 * persists, and the pool replaces the connection so the next transaction succeeds. The pool has
 * one connection, so recovery has to replace the very connection that broke.
 */
class ConnectionLossTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor CAROL = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-0000000ca201"));
    private static final int ROUNDS = 5;
    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static final AtomicInteger RECOVERED = new AtomicInteger();

    private static Sentinel sentinel;
    private static UUID tenant;
    /** HikariCP warns, with a stack trace, about every connection these tests break on purpose. */
    private static QuietLogs quiet;

    /** Where in the transaction the backend dies. */
    enum KillPoint {
        /** After a read; the next statement is the first write. */
        AFTER_A_READ,
        /** After an insert; the next statement is another insert. */
        AFTER_AN_INSERT,
        /** After an insert and an update of that row. */
        AFTER_AN_INSERT_AND_AN_UPDATE,
        /** As the callback's last act: the failure surfaces at COMMIT, where the outcome is unknown to the client. */
        JUST_BEFORE_COMMIT
    }

    @BeforeAll
    static void start() {
        quiet = QuietLogs.errorsOnly("com.zaxxer.hikari");
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(1).build();
        tenant = Tenants.create(sentinel);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
        quiet.close();
        System.out.println("ConnectionLossTest: " + FAULTS.get() + " backends terminated (" + RECOVERED.get()
                + " transactions succeeded on the replacement connections)");
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void aTerminatedBackendIsATypedErrorWithNoPartialWriteAndThePoolRecovers(KillPoint point) {
        for (int round = 0; round < ROUNDS; round++) {
            String prefix = point.name().toLowerCase(java.util.Locale.ROOT) + "-" + round + "-";
            assertThatThrownBy(() -> sentinel.tenant(tenant, CAROL).useTransaction(tx -> {
                int pid = Backends.pid(tx);
                if (point != KillPoint.AFTER_A_READ) {
                    WidgetsRecord written = tx.table(WIDGETS).insert(new WidgetsRecord().setName(prefix + "first"));
                    if (point == KillPoint.AFTER_AN_INSERT_AND_AN_UPDATE) {
                        tx.table(WIDGETS).update(written.setQuantity(7));
                    }
                }
                terminate(pid);
                if (point != KillPoint.JUST_BEFORE_COMMIT) {
                    tx.table(WIDGETS).insert(new WidgetsRecord().setName(prefix + "after-the-kill"));
                }
            }))
                    .describedAs("killed %s, round %d", point, round)
                    .isInstanceOfSatisfying(ConnectionLostException.class, e -> {
                        assertThat(e.sqlState()).describedAs("terminated by an administrator, or the socket closed")
                                .matches("57P01|08\\d{3}|08P01");
                        assertThat(e.duringCommit()).describedAs("only a failure at COMMIT leaves the outcome unknown")
                                .isEqualTo(point == KillPoint.JUST_BEFORE_COMMIT);
                        assertThat(e.getSuppressed()).describedAs("the rollback could not reach the server either").hasSize(1);
                    });
            FAULTS.incrementAndGet();

            assertThat(rowsNamed(prefix)).describedAs("no partial write after %s, round %d", point, round).isZero();

            UUID recovered = sentinel.tenant(tenant, CAROL)
                    .inTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName(prefix + "recovered")).getId());
            RECOVERED.incrementAndGet();
            Optional<WidgetsRecord> found = sentinel.tenant(tenant, CAROL).inTransaction(tx -> tx.table(WIDGETS).find(recovered));
            assertThat(found).describedAs("the pool's one connection was replaced and works").isPresent();
        }
    }

    @Test
    void killingEveryPooledConnectionCostsAtMostOneFailedTransactionPerConnection() {
        int poolSize = 4;
        try (Sentinel pooled = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource())
                .maximumPoolSize(poolSize).build()) {
            Set<Integer> pids = warmUp(pooled, poolSize);
            assertThat(pids).describedAs("the pool's connections").hasSize(poolSize);
            pids.forEach(ConnectionLossTest::terminate);
            FAULTS.addAndGet(pids.size());

            List<ConnectionLostException> failures = new ArrayList<>();
            int committed = 0;
            for (int i = 0; i < poolSize + 1; i++) {
                try {
                    pooled.tenant(tenant, CAROL).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("after-mass-kill-" + UUID.randomUUID())));
                    committed++;
                    RECOVERED.incrementAndGet();
                } catch (ConnectionLostException e) {
                    assertThat(e.duringCommit()).describedAs("the dead connection fails at BEGIN, before any write").isFalse();
                    failures.add(e);
                }
            }
            assertThat(failures).describedAs("each dead connection fails at most one transaction, then leaves the pool")
                    .hasSizeLessThanOrEqualTo(poolSize);
            assertThat(committed).isGreaterThanOrEqualTo(1);
            assertThat(rowsNamed("after-mass-kill-")).isEqualTo(committed);
        }
    }

    /** A comment that makes {@link #diesAfterAnswering} terminate the backend once the statement has answered. */
    private static final String DIE_AFTER_ANSWER = "/* the backend dies once this statement has answered */";

    @Test
    void aConnectionLostWhileJooqReadsARawQuerysColumnTypesIsConnectionLostException() throws SQLException {
        // jOOQ learns a raw query's columns from the result's metadata, and pgjdbc looks their types
        // up in the catalog with a query of its own, after the statement has answered. A connection
        // that dies in between used to surface as jOOQ's untyped DataAccessException (seen in the soak).
        try (Sentinel dying = Sentinel.builder().dataSource(diesAfterAnswering()).build()) {
            assertThatThrownBy(() -> dying.tenant(tenant, CAROL).inTransaction(tx ->
                    tx.dsl().resultQuery("select name, quantity from widgets " + DIE_AFTER_ANSWER).fetch()))
                    .isInstanceOfSatisfying(ConnectionLostException.class, e -> assertThat(e.duringCommit()).isFalse());
            FAULTS.incrementAndGet();
            int read = dying.tenant(tenant, CAROL).inTransaction(tx -> tx.dsl().resultQuery("select name from widgets").fetch().size());
            int expected = sentinel.tenant(tenant, CAROL).inTransaction(tx -> tx.dsl().fetchCount(WIDGETS));
            assertThat(read).describedAs("a new connection reads the same raw query").isEqualTo(expected);
            RECOVERED.incrementAndGet();
        }
    }

    /**
     * Unpooled connections of the application role (so pgjdbc's per-connection cache of column
     * types starts empty) whose backend is terminated right after a statement containing
     * {@link #DIE_AFTER_ANSWER} has returned its result to the driver.
     */
    private static DataSource diesAfterAnswering() throws SQLException {
        PGSimpleDataSource real = new PGSimpleDataSource();
        real.setURL(db.jdbcUrl());
        real.setUser(db.roles().app());
        real.setPassword(db.rolePassword());
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (dataSource, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    int pid;
                    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
                        row.next();
                        pid = row.getInt(1);
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (proxy, connectionMethod, connectionArgs) -> {
                                Object made = invoke(connection, connectionMethod, connectionArgs);
                                if (!connectionMethod.getName().equals("prepareStatement")
                                        || !((String) connectionArgs[0]).contains(DIE_AFTER_ANSWER)) {
                                    return made;
                                }
                                PreparedStatement statement = (PreparedStatement) made;
                                return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                                        new Class<?>[] {PreparedStatement.class}, (p, statementMethod, statementArgs) -> {
                                            Object answer = invoke(statement, statementMethod, statementArgs);
                                            if (statementMethod.getName().startsWith("execute")) {
                                                terminate(pid);
                                            }
                                            return answer;
                                        });
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Runs {@code n} transactions at once, so that the pool holds n connections afterwards; returns their backends. */
    private static Set<Integer> warmUp(Sentinel pooled, int n) {
        Set<Integer> pids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        CyclicBarrier together = new CyclicBarrier(n);
        for (int i = 0; i < n; i++) {
            Thread thread = new Thread(() -> pooled.tenant(tenant, CAROL).useTransaction(tx -> {
                pids.add(Backends.pid(tx));
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the warm-up transactions did not overlap", e);
                }
            }));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return pids;
    }

    private static long rowsNamed(String prefix) {
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.table(WIDGETS).withDeleted().count(WIDGETS.NAME.startsWith(prefix)));
    }

    private static void terminate(int pid) {
        Backends.terminate(db, pid);
    }
}
