package dev.sentinel.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Boot's own Flyway beside the starter: Sentinel's migrations run first and as the owner, then
 * Boot's (whose migration references sentinel.tenants, so it would fail the other way round),
 * whether the context asks for Flyway early or not.
 */
class FlywayOrderTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void sentinelMigratesFirstAsTheOwnerInTheDefaultBeanOrder() throws SQLException {
        startOnAnEmptyDatabase(runner -> runner);
    }

    @Test
    void sentinelMigratesFirstEvenWhenAnEarlierBeanAsksForBootsFlywayFirst() throws SQLException {
        startOnAnEmptyDatabase(runner -> runner.withUserConfiguration(FlywayFirst.class));
    }

    /** A service bean, created before any auto-configured one, that needs Boot's migrations done. */
    @Configuration(proxyBeanMethods = false)
    static class FlywayFirst {
        @Bean
        Object needsBootsMigrations(FlywayMigrationInitializer migrated, Flyway flyway) {
            return flyway.info().applied().length;
        }
    }

    private void startOnAnEmptyDatabase(java.util.function.UnaryOperator<ApplicationContextRunner> variant) throws SQLException {
        String database = StarterFixture.createEmptyDatabase(db);
        try {
            String url = StarterFixture.urlOf(db, database);
            ApplicationContextRunner runner = StarterFixture.runner(db, url)
                    .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                    .withPropertyValues("spring.flyway.locations=classpath:boot-flyway",
                            "spring.flyway.user=" + db.roles().owner(), "spring.flyway.password=" + db.rolePassword());
            variant.apply(runner).run(context -> assertThat(context).hasNotFailed());

            List<String> history = new ArrayList<>();
            PGSimpleDataSource owner = new PGSimpleDataSource();
            owner.setUrl(url);
            owner.setUser(db.roles().owner());
            owner.setPassword(db.rolePassword());
            try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("""
                            select 'sentinel' as run, installed_by, installed_on from sentinel.flyway_schema_history where version is not null
                            union all
                            select 'boot', installed_by, installed_on from public.flyway_schema_history where version is not null
                            order by installed_on""")) {
                while (rows.next()) {
                    history.add(rows.getString("run") + " as " + rows.getString("installed_by"));
                }
            }
            assertThat(history).first().isEqualTo("sentinel as " + db.roles().owner());
            assertThat(history).last().isEqualTo("boot as " + db.roles().owner());
            assertThat(history).filteredOn(entry -> entry.startsWith("boot")).hasSize(1);
        } finally {
            StarterFixture.dropDatabase(db, database);
        }
    }
}
