package dev.sentinel.core;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/** Scopes, options, nesting, rollback, retries and hooks of {@link Scope#inTransaction}. */
class TransactionTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor BOB = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-000000000b0b"));

    private static Sentinel sentinel;
    /** One connection only: whatever a transaction leaves on it, the next one meets. */
    private static Sentinel singleConnection;
    private static UUID tenant;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        singleConnection = Sentinel.builder()
                .jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource())
                .maximumPoolSize(1)
                .build();
        tenant = Tenants.create(sentinel);
    }

    /** Faults provoked, counted once their assertions passed; printed after the class. */
    private static final AtomicInteger TIMEOUTS = new AtomicInteger();
    private static final AtomicInteger SERIALIZATION_FAILURES = new AtomicInteger();
    private static final AtomicInteger DEADLOCKS = new AtomicInteger();

    @AfterAll
    static void stop() {
        singleConnection.close();
        System.out.println("TransactionTest: " + TIMEOUTS.get() + " statement timeout surfaced as StatementTimeoutException; "
                + SERIALIZATION_FAILURES.get() + " serialization failures provoked (1 retried to success, 3 on a budget of two"
                + " retries surfaced as SerializationFailureException after 3 attempts, 1 not retried without a budget); "
                + DEADLOCKS.get() + " deadlock victim retried to success");
    }

    private static Map<String, Object> settings(Tx tx) {
        Record row = tx.dsl().fetchOne("select current_setting('sentinel.tenant_id') as tenant, current_setting('sentinel.scope') as scope,"
                + " current_setting('sentinel.actor_id') as actor, current_setting('sentinel.request_id') as request,"
                + " current_setting('transaction_isolation') as isolation, current_setting('transaction_read_only') as read_only,"
                + " current_setting('statement_timeout') as timeout");
        return row.intoMap();
    }

    @Test
    void theScopeIsSetForTheTransactionAndGoneAfterIt() {
        Map<String, Object> inside = singleConnection.tenant(tenant, BOB)
                .with(TxOptions.defaults().withRequestId("req-42"))
                .inTransaction(TransactionTest::settings);
        assertThat(inside).containsEntry("tenant", tenant.toString())
                .containsEntry("scope", "tenant")
                .containsEntry("actor", BOB.settingValue())
                .containsEntry("request", "req-42");

        Map<String, Object> system = singleConnection.system(Actor.service("nightly-job")).inTransaction(TransactionTest::settings);
        assertThat(system).describedAs("the previous tenant does not linger on the connection")
                .containsEntry("tenant", "")
                .containsEntry("scope", "system")
                .containsEntry("actor", "service:nightly-job");

        String afterwards = singleConnection.tenant(tenant, BOB).inTransaction(tx -> {
            tx.dsl().execute("reset sentinel.scope"); // nothing here survives the transaction anyway
            return "done";
        });
        assertThat(afterwards).isEqualTo("done");
    }

    @Test
    void optionsApplyToTheTransactionOnlyNeverToTheSession() {
        Map<String, Object> inside = singleConnection.tenant(tenant, BOB)
                .with(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withReadOnly()
                        .withStatementTimeout(Duration.ofMillis(1500)))
                .inTransaction(TransactionTest::settings);
        assertThat(inside).containsEntry("isolation", "serializable")
                .containsEntry("read_only", "on")
                .containsEntry("timeout", "1500ms");

        Map<String, Object> next = singleConnection.tenant(tenant, BOB).inTransaction(TransactionTest::settings);
        assertThat(next).describedAs("the same pooled connection, back to the defaults")
                .containsEntry("isolation", "read committed")
                .containsEntry("read_only", "off")
                .containsEntry("timeout", "0");
    }

    @Test
    void aReadOnlyTransactionCannotWrite() {
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).with(TxOptions.defaults().withReadOnly())
                .useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("ro"))))
                .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.sqlState()).isEqualTo("25006"));
    }

    @Test
    void aStatementTimeoutIsATypedError() {
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).with(TxOptions.defaults().withStatementTimeout(Duration.ofMillis(50)))
                .useTransaction(tx -> tx.dsl().execute("select pg_sleep(2)")))
                .isInstanceOf(StatementTimeoutException.class)
                .hasMessageContaining("statement timeout");
        TIMEOUTS.incrementAndGet();
    }

    @Test
    void anExceptionRollsEverythingBackAndReachesTheCallerUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).useTransaction(tx -> {
            tx.table(WIDGETS).insert(new WidgetsRecord().setName("rolled-back"));
            throw boom;
        })).isSameAs(boom);
        long count = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("rolled-back")));
        assertThat(count).isZero();
    }

    @Test
    void checkedExceptionsPassThroughTyped() {
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).<String, java.io.IOException>inTransaction(tx -> {
            throw new java.io.IOException("disk");
        })).isInstanceOf(java.io.IOException.class).hasMessage("disk");
    }

    @Test
    void aFailingRollbackIsSuppressedAndNeverHidesTheOriginalError() {
        IllegalStateException original = new IllegalStateException("the real problem");
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).useTransaction(tx -> {
            tx.table(WIDGETS).insert(new WidgetsRecord().setName("doomed-connection"));
            int pid = tx.dsl().fetchValue(DSL.field("pg_backend_pid()", Integer.class));
            terminate(pid); // the rollback that follows cannot reach the server
            throw original;
        }))
                .isSameAs(original)
                .satisfies(e -> assertThat(e.getSuppressed()).describedAs("the rollback's own failure").hasSize(1)
                        .allSatisfy(s -> assertThat(s).isInstanceOf(SQLException.class)));
        long count = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("doomed-connection")));
        assertThat(count).describedAs("nothing committed, and the pool recovered").isZero();
    }

    private static void terminate(int pid) {
        asSuperuser("select pg_terminate_backend(" + pid + ", 5000)");
    }

    /** Runs SQL in its own session as the superuser, which row-level security does not restrict. */
    private static void asSuperuser(String sql) {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNestedCallJoinsTheOuterTransaction() {
        UUID other = Tenants.create(sentinel);
        sentinel.tenant(tenant, BOB).useTransaction(outer -> {
            Tx inner = sentinel.tenant(tenant, BOB).inTransaction(tx -> {
                tx.table(WIDGETS).insert(new WidgetsRecord().setName("nested"));
                return tx;
            });
            assertThat(inner).isSameAs(outer);
            assertThat(outer.table(WIDGETS).count(WIDGETS.NAME.eq("nested"))).describedAs("visible: same transaction").isEqualTo(1);

            assertThatThrownBy(() -> sentinel.tenant(other, BOB).useTransaction(tx -> { }))
                    .isInstanceOf(TransactionConflictException.class)
                    .hasMessageContaining("cannot join");
            assertThatThrownBy(() -> sentinel.tenant(tenant, BOB)
                    .with(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE)).useTransaction(tx -> { }))
                    .isInstanceOf(TransactionConflictException.class)
                    .hasMessageContaining("isolation");
        });
    }

    @Test
    void aNestedFailureThatTheOuterCodeSwallowsStillRollsBackEverything() {
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).useTransaction(outer -> {
            outer.table(WIDGETS).insert(new WidgetsRecord().setName("outer-part"));
            try {
                sentinel.tenant(tenant, BOB).useTransaction(inner -> {
                    inner.table(WIDGETS).insert(new WidgetsRecord().setName("inner-part"));
                    throw new IllegalArgumentException("inner failed");
                });
            } catch (IllegalArgumentException swallowed) {
                // the outer code carries on, as careless code does
            }
        })).isInstanceOf(TransactionConflictException.class).hasMessageContaining("nested transaction failed");
        long count = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.in("outer-part", "inner-part")));
        assertThat(count).isZero();
    }

    @Test
    void serializationFailuresAreRetriedUpToTheBoundThenSurface() {
        UUID id = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("contended")).getId());
        Scope retrying = sentinel.tenant(tenant, BOB)
                .with(TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ).withRetries(2));

        AtomicInteger attempts = new AtomicInteger();
        int quantity = retrying.inTransaction(tx -> {
            int attempt = attempts.incrementAndGet();
            WidgetsRecord row = tx.table(WIDGETS).get(id); // takes the snapshot
            if (attempt == 1) {
                concurrentUpdate(id); // commits behind this transaction's back
            }
            return tx.table(WIDGETS).update(row.setQuantity(row.getQuantity() + 10)).getQuantity();
        });
        assertThat(attempts).hasValue(2);
        assertThat(quantity).describedAs("the retry saw the concurrent +1").isEqualTo(11);

        AtomicInteger always = new AtomicInteger();
        assertThatThrownBy(() -> retrying.useTransaction(tx -> {
            always.incrementAndGet();
            WidgetsRecord row = tx.table(WIDGETS).get(id);
            concurrentUpdate(id);
            tx.table(WIDGETS).update(row.setQuantity(0));
        }))
                .isInstanceOf(SerializationFailureException.class)
                .hasMessageContaining("Gave up after 3 attempts");
        assertThat(always).describedAs("one attempt plus two retries").hasValue(3);

        AtomicInteger once = new AtomicInteger();
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).with(TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ))
                .useTransaction(tx -> {
                    once.incrementAndGet();
                    WidgetsRecord row = tx.table(WIDGETS).get(id);
                    concurrentUpdate(id);
                    tx.table(WIDGETS).update(row.setQuantity(0));
                })).isInstanceOf(SerializationFailureException.class);
        assertThat(once).describedAs("no retries by default").hasValue(1);
        SERIALIZATION_FAILURES.addAndGet((attempts.get() - 1) + always.get() + once.get());
    }

    @Test
    void aDeadlockVictimIsRetried() throws Exception {
        UUID first = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("lock-1")).getId());
        UUID second = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("lock-2")).getId());
        Scope retrying = sentinel.tenant(tenant, BOB).with(TxOptions.defaults().withRetries(3));
        CyclicBarrier bothLocked = new CyclicBarrier(2);
        CountDownLatch survivorHoldsBoth = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();

        // Two transactions lock the same two rows in opposite order: PostgreSQL kills one (40P01).
        Callable<Integer> lockInOrder = () -> {
            boolean forward = Thread.currentThread().getName().endsWith("forward");
            return retrying.inTransaction(tx -> {
                int attempt = attempts.incrementAndGet();
                if (attempt > 2) {
                    // The retry starts once the survivor holds both rows, so it cannot take one
                    // of them first and deadlock again (a race a loaded machine can lose).
                    survivorHoldsBoth.await(10, TimeUnit.SECONDS);
                }
                tx.dsl().execute("select 1 from widgets where id = ? for update", forward ? first : second);
                if (attempt <= 2) {
                    bothLocked.await(10, TimeUnit.SECONDS);
                }
                tx.dsl().execute("select 1 from widgets where id = ? for update", forward ? second : first);
                survivorHoldsBoth.countDown();
                return attempt;
            });
        };
        FutureTask<Integer> forward = new FutureTask<>(lockInOrder);
        FutureTask<Integer> backward = new FutureTask<>(lockInOrder);
        new Thread(forward, "locker-forward").start();
        new Thread(backward, "locker-backward").start();
        forward.get(30, TimeUnit.SECONDS);
        backward.get(30, TimeUnit.SECONDS);
        assertThat(attempts).describedAs("two first attempts, and one retry of the deadlock victim").hasValue(3);
        DEADLOCKS.incrementAndGet();
    }

    /** Another session increments the widget and commits behind the transaction's back. */
    private static void concurrentUpdate(UUID id) {
        asSuperuser("update widgets set quantity = quantity + 1, version = version + 1 where id = '" + id + "'");
    }

    @Test
    void afterCommitHooksRunAfterACommitOnly() {
        List<String> events = new ArrayList<>();
        sentinel.tenant(tenant, BOB).useTransaction(tx -> {
            tx.afterCommit(() -> events.add("first"));
            tx.afterCommit(() -> events.add("second"));
            events.add("work");
        });
        assertThat(events).containsExactly("work", "first", "second");

        events.clear();
        assertThatThrownBy(() -> sentinel.tenant(tenant, BOB).useTransaction(tx -> {
            tx.afterCommit(() -> events.add("never"));
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(events).isEmpty();
    }

    @Test
    void theRequestIdIsOnTheMdcDuringTheTransactionOnly() {
        String seen = sentinel.tenant(tenant, BOB).with(TxOptions.defaults().withRequestId("req-mdc"))
                .inTransaction(tx -> MDC.get("sentinel.request_id"));
        assertThat(seen).isEqualTo("req-mdc");
        assertThat(MDC.get("sentinel.request_id")).isNull();

        String generated = sentinel.tenant(tenant, BOB).inTransaction(Tx::requestId);
        assertThat(UUID.fromString(generated).version()).describedAs("a generated UUIDv7").isEqualTo(7);
    }

    @Test
    void aTxCannotBeUsedAfterItsTransaction() {
        Tx escaped = sentinel.tenant(tenant, BOB).inTransaction(tx -> tx);
        assertThatThrownBy(escaped::dsl).isInstanceOf(MissingScopeException.class);
        assertThatThrownBy(() -> escaped.table(WIDGETS)).isInstanceOf(MissingScopeException.class);
    }

    @Test
    void badScopeArgumentsAreRefused() {
        assertThatThrownBy(() -> sentinel.tenant(null, BOB)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("system(actor)");
        assertThatThrownBy(() -> sentinel.system(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Actor.service("Robert'); drop table widgets;--")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TxOptions.defaults().withRequestId("x'; reset all; --")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TxOptions.defaults().withRetries(11)).isInstanceOf(InvalidInputException.class);
        assertThat(DSL.noCondition()).isNotNull();
    }
}
