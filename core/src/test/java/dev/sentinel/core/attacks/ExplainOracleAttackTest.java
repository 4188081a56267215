package dev.sentinel.core.attacks;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack family "the EXPLAIN oracle" (issue #23, item 4), played with raw SQL as the tenant pool's
 * role. Until V25 each tenant table had two permissive policies for that role, which PostgreSQL
 * combines into {@code (tenant_id = current tenant) OR (system scope)}: the planner cannot use that
 * as an index condition, so an attacker's own {@code tenant_id = B and name >= 'U' and name < 'V'}
 * became the index condition and the policy a filter, and {@code EXPLAIN ANALYZE}'s "Rows Removed
 * by Filter" answered whether B has such a row. Since V25 the role has one policy, {@code tenant_id
 * = sentinel.current_tenant_id()}, which the planner folds with the attacker's predicate: the scan
 * of B's rows never runs, and the plan of a probe that matches is the plan of one that does not.
 */
class ExplainOracleAttackTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static Sentinel sentinel;
    private static UUID attacker;
    private static UUID victim;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        attacker = Tenants.create(sentinel);
        victim = Tenants.create(sentinel);
        sentinel.tenant(victim, Tenants.SETUP).useTransaction(tx -> {
            tx.table(WIDGETS).insertAll(IntStream.range(0, 200).mapToObj(i -> new WidgetsRecord().setName("w" + i)).toList());
            tx.table(WIDGETS).insert(new WidgetsRecord().setName("Umbrella"));
        });
        sentinel.tenant(attacker, Actor.user(UUID.randomUUID())).useTransaction(tx ->
                tx.table(WIDGETS).insert(new WidgetsRecord().setName("mine")));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void inItsOwnTenantTheAttackersPlanDoesNotSayWhetherAnotherTenantHasTheRow() throws SQLException {
        List<String> hit = plan(RawScope.tenant(attacker), "U", "V");
        List<String> miss = plan(RawScope.tenant(attacker), "X", "Y");

        assertThat(hit).describedAs("the plan of a probe for a name of B's (U...), against one for no name (X...);"
                + " they differ only if the scan of B's rows ran").isEqualTo(miss);
    }

    @Test
    void withNoTenantSetThePlanDoesNotSayEither() throws SQLException {
        List<String> hit = plan(RawScope.none(), "U", "V");
        List<String> miss = plan(RawScope.none(), "X", "Y");

        assertThat(hit).describedAs("plans with no tenant set, a probe that matches against one that does not").isEqualTo(miss);
    }

    /**
     * The attacker's probe: B's names in {@code [from, to)}, with sequential and bitmap scans off so
     * that the planner takes the index on {@code (tenant_id, name)}. Timing is left out of the plan,
     * so two plans compare equal exactly when the executor saw the same rows.
     */
    private static List<String> plan(RawScope scope, String from, String to) throws SQLException {
        return scope.rollback(db.appDataSource(), connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local enable_seqscan = off; set local enable_bitmapscan = off");
            }
            return explain(connection, "explain (analyze, costs off, timing off, summary off, buffers off)"
                    + " select name from widgets where tenant_id = '" + victim + "' and name >= '" + from + "' and name < '" + to + "'"
                    + " and deleted_at is null");
        });
    }

    private static List<String> explain(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                // The probe's own bounds appear in the plan; they are not what the attacker reads.
                lines.add(rows.getString(1).replace("'U'", "'?'").replace("'V'", "'?'").replace("'X'", "'?'").replace("'Y'", "'?'"));
            }
        }
        return lines;
    }
}
