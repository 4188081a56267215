package dev.sentinel.core.attacks;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Health;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.LogCapture;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack family "role settings" (issue #23, item 5): any session of the application role may
 * {@code ALTER ROLE} itself {@code SET} a default that every later connection of the role inherits
 * (PostgreSQL cannot refuse it). Played per database ({@code IN DATABASE}), so other test classes'
 * databases are untouched. Sentinel's transactions must still run as asked, and its start-up log and
 * health check must name each default and the statement that removes it.
 */
class RoleSettingsAttackTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor ALICE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000a11c"));

    @AfterEach
    void removeTheDefaults() throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("alter role " + db.roles().app() + " in database " + db.databaseName() + " reset all");
        }
    }

    @Test
    void defaultsTheAppRoleSetsOnItselfNeitherBreakSentinelsTransactionsNorGoUnreported() throws SQLException {
        UUID tenant;
        try (Sentinel before = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
            tenant = Tenants.create(before);
        }
        // The attack, as the application role itself: every later connection of the role starts read-only,
        // with a 1 ms statement timeout, row-level security off and a search path that puts pg_temp first.
        try (Connection app = db.appDataSource().getConnection(); Statement statement = app.createStatement()) {
            String alter = "alter role current_user in database " + db.databaseName() + " set ";
            statement.execute(alter + "default_transaction_read_only = on");
            statement.execute(alter + "statement_timeout = '1ms'");
            statement.execute(alter + "row_security = off");
            statement.execute(alter + "search_path = pg_temp, public");
            if (!app.getAutoCommit()) {
                app.commit();
            }
        }

        // Fresh connections (a pool of its own), which inherit the defaults.
        try (LogCapture log = LogCapture.of("dev.sentinel.core.Sentinel");
                Sentinel sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource())
                        .maximumPoolSize(1).build()) {
            sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("still writes")));
            long slept = sentinel.tenant(tenant, ALICE).inTransaction(tx ->
                    tx.dsl().fetchSingle("select count(*) from (select pg_sleep(0.02)) s").get(0, Long.class));
            long seen = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("still writes")));

            assertThat(slept).describedAs("a statement longer than the role's 1 ms default").isEqualTo(1);
            assertThat(seen).describedAs("the write under a read-only default, read back under row_security = off").isEqualTo(1);

            Health health = sentinel.health();
            assertThat(health.healthy()).isFalse();
            String reset = "ALTER ROLE \"" + db.roles().app() + "\" IN DATABASE \"" + db.databaseName() + "\" RESET ";
            assertThat(health.problems()).describedAs("what the health check says to remove").hasSize(4)
                    .anySatisfy(problem -> assertThat(problem).contains(reset + "default_transaction_read_only"))
                    .anySatisfy(problem -> assertThat(problem).contains(reset + "statement_timeout"))
                    .anySatisfy(problem -> assertThat(problem).contains(reset + "row_security"))
                    .anySatisfy(problem -> assertThat(problem).contains(reset + "search_path"));
            assertThat(log.containing(reset)).describedAs("the start-up warnings").hasSize(4);
        }
    }

    @Test
    void aRoleWithoutDefaultsIsHealthyAndItsLimitsAreNamed() {
        try (Sentinel sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
            Health health = sentinel.health();

            assertThat(health.problems()).isEmpty();
            assertThat(health.healthy()).isTrue();
            assertThat(health.limits()).describedAs("the test server signs in without certificates")
                    .anySatisfy(limit -> assertThat(limit).contains("ALTER ROLE ... PASSWORD").contains("certificate"));
            assertThat(health.skippedSeals()).isZero();
        }
    }
}
