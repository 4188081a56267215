package dev.sentinel.core.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.support.SingleConnectionDataSource;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transaction's closed-tenant pin reads {@code tenants}; a statement timeout left on the pooled
 * connection by raw SQL (or by another client of a pooler) must not fail the transaction by
 * cancelling it. Sent with the transaction's first statement, the pin is a statement of its own
 * after the select that pins the timeouts; sent alone (the first thing sent is not one prepared
 * statement), it is the select's last column, under the session's timeout, and when that cancels
 * it the setup is rolled back and sent again with the timeouts pinned first.
 */
class LeftoverTimeoutTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    @Test
    void aLeftoverTimeoutDoesNotCancelThePinSentWithTheFirstStatement() throws Exception {
        Integer one = underLeftoverTimeout(tx -> tx.dsl().fetchSingle("select 1").get(0, Integer.class));
        assertThat(one).describedAs("the transaction ran, its pin under the pinned timeout").isEqualTo(1);
    }

    @Test
    void aLeftoverTimeoutThatCancelsThePinSentAloneDoesNotFailTheTransaction() throws Exception {
        // createStatement: the setup goes alone, before it.
        Integer one = underLeftoverTimeout(tx -> tx.dsl().connectionResult(connection -> {
            try (Statement statement = connection.createStatement(); var row = statement.executeQuery("select 1")) {
                row.next();
                return row.getInt(1);
            }
        }));
        assertThat(one).describedAs("the transaction ran, its pin sent again under the pinned timeout").isEqualTo(1);
    }

    private static Integer underLeftoverTimeout(Function<Tx, Integer> work) throws Exception {
        try (SingleConnectionDataSource connection = new SingleConnectionDataSource(db.jdbcUrl(), db.roles().app(), db.rolePassword());
                Sentinel sentinel = Sentinel.builder().dataSource(connection).systemDataSource(db.systemDataSource()).build()) {
            UUID tenant = Tenants.create(sentinel);
            Scope scope = sentinel.tenant(tenant, Actor.service("leftover"));
            // Session level: it outlives the transaction (the commit resets only Sentinel's settings).
            scope.useTransaction(tx -> tx.dsl().execute("set statement_timeout = '50ms'"));

            // The pin then waits for a lock on tenants far longer than the leftover timeout.
            CountDownLatch locked = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement()) {
                    admin.setAutoCommit(false);
                    statement.execute("lock table sentinel.tenants in access exclusive mode");
                    locked.countDown();
                    Thread.sleep(500);
                    admin.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

            Integer answer = scope.inTransaction(work::apply);

            holder.get(10, TimeUnit.SECONDS);
            String timeout = scope.inTransaction(tx -> tx.dsl().fetchSingle("show statement_timeout").get(0, String.class));
            assertThat(timeout).describedAs("inside a transaction, Sentinel's pinned timeout applies").isEqualTo("0");
            return answer;
        }
    }
}
