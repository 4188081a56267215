package dev.sentinel.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A service's first start, migrations included, in a JVM of its own (jOOQ prints its logo once per
 * JVM, so only a fresh one shows it), with Boot's logging at INFO: no Flyway result tables, no jOOQ
 * logo or tip of the day, no dialect version warning.
 */
class QuietStartTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void aFirstStartLogsNoFlywayTablesNoJooqLogoOrTipsAndNoDialectWarning() throws Exception {
        String database = StarterFixture.createEmptyDatabase(db);
        try {
            Process child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    QuietService.class.getName(),
                    "--spring.datasource.url=" + StarterFixture.urlOf(db, database),
                    "--spring.datasource.username=" + db.roles().app(),
                    "--spring.datasource.password=" + db.rolePassword(),
                    "--sentinel.system.username=" + db.roles().system(),
                    "--sentinel.system.password=" + db.rolePassword(),
                    "--sentinel.owner.username=" + db.roles().owner(),
                    "--sentinel.owner.password=" + db.rolePassword(),
                    "--spring.flyway.enabled=false"))
                    .redirectErrorStream(true).start();
            String log = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();

            assertThat(child.exitValue()).describedAs(log).isZero();
            assertThat(log).describedAs("the service started and migrated").contains("QUIET-SERVICE-STARTED")
                    .contains("Migrations applied");
            assertThat(log).describedAs(log)
                    .doesNotContain("+--")            // Flyway's result table borders
                    .doesNotContainIgnoringCase("Thank you for using jOOQ")
                    .doesNotContain("@@@@@@@@")       // jOOQ's logo
                    .doesNotContainIgnoringCase("tip of the day")
                    .doesNotContain("Version mismatch");
        } finally {
            StarterFixture.dropDatabase(db, database);
        }
    }

    /** The service the child JVM starts: auto-configuration only. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    public static class QuietService {

        /**
         * Starts, says so, and stops.
         *
         * @param args Boot's command-line properties
         * @throws IOException never
         */
        public static void main(String[] args) throws IOException {
            try (ConfigurableApplicationContext context = SpringApplication.run(QuietService.class, args)) {
                System.out.println("QUIET-SERVICE-STARTED " + context.getBean(dev.sentinel.core.Sentinel.class).clock());
            }
        }
    }
}
