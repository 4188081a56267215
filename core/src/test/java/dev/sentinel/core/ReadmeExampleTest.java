package dev.sentinel.core;

import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's example runs, and the README shows exactly this code. */
class ReadmeExampleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    @Test
    void theExampleRuns() {
        DataSource appDataSource = db.appDataSource();
        DataSource systemDataSource = db.systemDataSource();
        DataSource ownerDataSource = db.ownerDataSource();
        UUID aliceId = UUID.randomUUID();

        // readme:start
        Sentinel sentinel = Sentinel.builder()
                .dataSource(appDataSource)                          // role sentinel_app: the tenants' pool
                .systemDataSource(systemDataSource)                 // role sentinel_system: the system scope's pool
                .migrateWith(ownerDataSource)                       // role sentinel_owner, direct connection
                .serviceMigrations("classpath:db/test-service")     // your own tables, after Sentinel's
                .build();

        UUID acme = sentinel.system(Actor.service("onboarding")).inTransaction(tx ->
                tx.table(TENANTS).insert(new TenantsRecord().setSlug("acme").setName("Acme GmbH")).getId());

        Actor alice = Actor.user(aliceId);
        WidgetsRecord anvil = sentinel.tenant(acme, alice).inTransaction(tx -> {
            WidgetsRecord created = tx.table(WIDGETS).insert(new WidgetsRecord().setName("anvil"));
            tx.table(WIDGETS).softDelete(created.getId(), "duplicate");     // hidden, with who and why
            return tx.table(WIDGETS).withDeleted().get(created.getId());
        });

        // Raw SQL is scoped too: another tenant sees none of Acme's rows, whatever the query says.
        int seenByOthers = sentinel.tenant(UUID.randomUUID(), alice).inTransaction(tx -> tx.dsl().fetchCount(WIDGETS));
        // readme:end

        assertThat(anvil.getTenantId()).isEqualTo(acme);
        assertThat(anvil.getDeletedBy()).isEqualTo(aliceId);
        assertThat(anvil.getDeleteReason()).isEqualTo("duplicate");
        assertThat(seenByOthers).isZero();
    }

    @Test
    void theReadmeShowsThisExample() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/sentinel/core/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
        String snippet = source.subList(source.indexOf("        // readme:start") + 1, source.indexOf("        // readme:end")).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertThat(readme).describedAs("README.md must show the example exactly as this test runs it").contains(snippet);
    }
}
