package dev.sentinel.core;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobQueue;
import dev.sentinel.core.support.SingleConnectionDataSource;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A statement a service runs in every transaction is parsed and planned once per connection, not
 * once per transaction: nothing Sentinel pins per transaction may make pgjdbc prepare it again
 * (on PostgreSQL 18, which reports every change of {@code search_path} to the client, a path set
 * for each transaction and restored by its commit did).
 */
class PreparedStatementsTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    @Test
    void aRepositoryStatementStaysPreparedOnTheServerAcrossTransactions() throws Exception {
        assumeFalse(ClusterCheck.isCitus(db.adminDataSource()), "on a Citus coordinator (PostgreSQL 15) the statement is"
                + " prepared but prepared again within eight transactions, for a reason not found yet (the settings go"
                + " there as SET LOCAL statements, alone)");
        try (SingleConnectionDataSource connection = new SingleConnectionDataSource(db.jdbcUrl(), db.roles().app(), db.rolePassword());
                Sentinel sentinel = Sentinel.builder().dataSource(connection).systemDataSource(db.systemDataSource()).build()) {
            UUID tenant = Tenants.create(sentinel);
            Scope scope = sentinel.tenant(tenant, Actor.service("prepared"));
            for (int i = 0; i < 8; i++) {
                scope.inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("x")));
            }
            OffsetDateTime prepared = preparedAt(scope);
            for (int i = 0; i < 8; i++) {
                scope.inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("x")));
            }

            assertThat(prepared).describedAs("prepared on the server after pgjdbc's prepareThreshold uses").isNotNull();
            assertThat(preparedAt(scope)).describedAs("the same prepared statement, not prepared again since").isEqualTo(prepared);
        }
    }

    /**
     * The job queue's claim, sent with the system scope's settings and its COMMIT in one round trip,
     * is one text from claim to claim (the settings travel as binds), so its connection parses and
     * plans it once: with the settings written into the text, every claim was a new statement.
     */
    @Test
    void aJobClaimStaysPreparedOnTheServerAcrossClaims() throws Exception {
        assumeFalse(ClusterCheck.isCitus(db.adminDataSource()), "on a Citus coordinator the claim's settings are SET LOCAL"
                + " statements with their values written in (set_config does not reach the workers), so its text changes"
                + " with every claim; the repository's statements stay prepared there (the settings go alone)");
        try (SingleConnectionDataSource system = new SingleConnectionDataSource(db.jdbcUrl(), db.roles().system(), db.rolePassword());
                Sentinel sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword())
                        .systemDataSource(system).build()) {
            UUID tenant = Tenants.create(sentinel);
            sentinel.tenant(tenant, Actor.service("prepared")).inTransaction(tx -> {
                for (int i = 0; i < 16; i++) {
                    tx.jobs().enqueue("prepared.claim", "{}", JobOptions.defaults().queue("prepared"));
                }
                return null;
            });
            JobQueue queue = sentinel.jobQueue();
            for (int i = 0; i < 8; i++) {
                assertThat(queue.claim("prepared", List.of(), "w1", 1, Duration.ofMinutes(1))).hasSize(1);
            }
            Scope systemScope = sentinel.system(Actor.service("prepared"));
            OffsetDateTime prepared = claimPreparedAt(systemScope);
            for (int i = 0; i < 8; i++) {
                assertThat(queue.claim("prepared", List.of(), "w1", 1, Duration.ofMinutes(1))).hasSize(1);
            }

            assertThat(prepared).describedAs("the claim prepared on the server after pgjdbc's prepareThreshold uses").isNotNull();
            assertThat(claimPreparedAt(systemScope)).describedAs("the same prepared claim, not prepared again since")
                    .isEqualTo(prepared);
        }
    }

    private static OffsetDateTime claimPreparedAt(Scope system) {
        return system.inTransaction(tx -> tx.dsl().fetchOptional("select prepare_time from pg_prepared_statements"
                + " where statement like '%select * from sentinel.claim_jobs(%'").map(row -> row.get(0, OffsetDateTime.class)).orElse(null));
    }

    private static OffsetDateTime preparedAt(Scope scope) {
        return scope.inTransaction(tx -> tx.dsl().fetchOptional("select prepare_time from pg_prepared_statements"
                + " where statement like 'select count(*)%widgets%'").map(row -> row.get(0, OffsetDateTime.class)).orElse(null));
    }
}
