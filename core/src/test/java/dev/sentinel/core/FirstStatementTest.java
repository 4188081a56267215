package dev.sentinel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transaction's settings travel with its first statement ({@link RoundTripTest} counts the round
 * trips); whatever JDBC does with that statement, the settings apply before it, exactly once, and
 * the statement answers as it would alone.
 */
class FirstStatementTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static Scope scope;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        tenant = Tenants.create(sentinel);
        scope = sentinel.tenant(tenant, Actor.service("first-statement"));
    }

    @Test
    void aStatementPreparedButNeverRunLeavesTheSettingsToTheNext() {
        String seen = scope.inTransaction(tx -> {
            tx.dsl().connection(connection -> connection.prepareStatement("select 1").close());
            return tx.dsl().fetchSingle("select current_setting('sentinel.tenant_id')").get(0, String.class);
        });
        assertThat(seen).isEqualTo(tenant.toString());
    }

    @Test
    void aFirstStatementRunAgainSendsTheSettingsOnce() {
        // The mode (SET TRANSACTION READ WRITE) sent a second time, after a query, would be refused.
        List<String> answers = scope.inTransaction(tx -> {
            List<String> seen = new ArrayList<>();
            tx.dsl().connection(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("select current_setting('sentinel.tenant_id') || ?")) {
                    for (String suffix : List.of("/a", "/b")) {
                        statement.setString(1, suffix);
                        try (ResultSet rows = statement.executeQuery()) {
                            rows.next();
                            seen.add(rows.getString(1));
                        }
                    }
                }
            });
            return seen;
        });
        assertThat(answers).containsExactly(tenant + "/a", tenant + "/b");
    }

    @Test
    void theFirstStatementAnswersAsItWouldAlone() {
        String name = "answers-" + UUID.randomUUID();
        List<Object> answers = scope.inTransaction(tx -> {
            List<Object> seen = new ArrayList<>();
            tx.dsl().connection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into widgets (tenant_id, id, name) values (?::uuid, gen_random_uuid(), ?)")) {
                    insert.setString(1, tenant.toString());
                    insert.setString(2, name);
                    seen.add(insert.execute());
                    seen.add(insert.getUpdateCount());
                    seen.add(insert.getMoreResults());
                    seen.add(insert.getUpdateCount());
                }
            });
            return seen;
        });
        assertThat(answers).describedAs("execute(), then the insert's count, then no more results").containsExactly(false, 1, false, -1);

        assertThatThrownBy(() -> scope.useTransaction(tx -> tx.dsl().connection(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update widgets set quantity = 1 where name = ?")) {
                update.setString(1, name);
                update.executeQuery();
            }
        }))).describedAs("an update through executeQuery, refused as pgjdbc refuses it (SQLSTATE 02000, no data)")
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo("02000"));
    }

    @Test
    void aBatchAsTheFirstStatementRunsUnderTheSettings() {
        String name = "batched-" + UUID.randomUUID();
        int[] counts = scope.inTransaction(tx -> tx.dsl().connectionResult(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into widgets (tenant_id, id, name) values (current_setting('sentinel.tenant_id')::uuid, gen_random_uuid(), ?)")) {
                for (int i = 0; i < 2; i++) {
                    insert.setString(1, name + "/" + i);
                    insert.addBatch();
                }
                return insert.executeBatch();
            }
        }));
        assertThat(counts).containsExactly(1, 1);
        long stored = scope.inTransaction(tx -> tx.dsl().fetchSingle("select count(*) from widgets where name like ?", name + "/%").get(0, Long.class));
        assertThat(stored).describedAs("in the tenant, with its audit rows").isEqualTo(2);
    }
}
