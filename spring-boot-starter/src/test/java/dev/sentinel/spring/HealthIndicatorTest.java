package dev.sentinel.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.spring.internal.SentinelHealthIndicator;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health indicator's states: up, up with a warning, down for an unsafe role, down for migrations behind. */
class HealthIndicatorTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor ADMIN = Actor.service("admin");

    @Test
    void upWithTheRoleMigrationsAndBacklogAsDetails() {
        StarterFixture.runner(db).run(context -> {
            Health health = context.getBean(SentinelHealthIndicator.class).health();
            assertThat(health.getStatus()).describedAs("%s", health.getDetails()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("runtimeRole", db.roles().app()).containsKeys("migrations", "jobs")
                    .doesNotContainKey("warnings");
        });
    }

    @Test
    void aJobWaitingLongerThanTheThresholdIsAWarningNotDown() {
        StarterFixture.runner(db).withPropertyValues("sentinel.health.max-job-delay=10m").run(context -> {
            Sentinel sentinel = context.getBean(Sentinel.class);
            UUID tenant = UUID.randomUUID();
            sentinel.system(ADMIN).useTransaction(tx -> tx.dsl()
                    .execute("insert into sentinel.tenants (id, slug, name) values (?, ?, 'Late')", tenant, "late-" + tenant));
            // Due an hour ago and never claimed: no worker runs in this context.
            sentinel.tenant(tenant, ADMIN).useTransaction(tx -> tx.jobs().enqueue("reports.late", "{}",
                    JobOptions.defaults().runAt(Instant.now().minusSeconds(3600))));

            Health health = context.getBean(SentinelHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat((List<?>) health.getDetails().get("warnings")).singleElement().asString().contains("max-job-delay");
        });
    }

    @Test
    void downWhenTheRuntimeRoleCouldBypassRowLevelSecurity() {
        StarterFixture.runner(db)
                .withPropertyValues("spring.datasource.username=" + db.roles().owner())
                .withBean(SentinelBuilderCustomizer.class, () -> builder -> builder.allowUnsafeRuntimeRole(true))
                .run(context -> {
                    Health health = context.getBean(SentinelHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsKey("runtimeRoleProblems");
                });
    }

    @Test
    void downWhenTheDatabaseIsBehindTheKernelMigrationsThisVersionShips() throws SQLException {
        String database = StarterFixture.createEmptyDatabase(db);
        try {
            String url = StarterFixture.urlOf(db, database);
            StarterFixture.runner(db, url).run(context -> {
                assertThat(context.getBean(SentinelHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
                // As if the newest kernel migration had not been applied (an old deploy step, a skipped migration).
                org.postgresql.ds.PGSimpleDataSource owner = new org.postgresql.ds.PGSimpleDataSource();
                owner.setUrl(url);
                owner.setUser(db.roles().owner());
                owner.setPassword(db.rolePassword());
                try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("delete from sentinel.flyway_schema_history where installed_rank ="
                            + " (select max(installed_rank) from sentinel.flyway_schema_history)");
                }
                Health health = context.getBean(SentinelHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat((Map<?, ?>) health.getDetails().get("migrations")).satisfies(migrations ->
                        assertThat((Integer) migrations.get("applied")).isLessThan((Integer) migrations.get("shipped")));
            });
        } finally {
            StarterFixture.dropDatabase(db, database);
        }
    }
}
