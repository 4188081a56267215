package dev.sentinel.core.secrets;

import static dev.sentinel.agency.db.Tables.INTEGRATIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.db.tables.records.IntegrationsRecord;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example of docs/secrets.md runs, and the page shows exactly this code. */
class SecretsDocExampleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void theExampleRuns() {
        DataSource appDataSource = db.appDataSource();
        String oldKeyBase64 = Base64.getEncoder().encodeToString(TestKeys.material("2026-05", "doc"));
        String newKeyBase64 = Base64.getEncoder().encodeToString(TestKeys.material("2026-11", "doc"));
        Sentinel before = Sentinel.builder().dataSource(appDataSource)
                .secretKeys(SecretKeys.of(SecretKey.of("2026-05", Base64.getDecoder().decode(oldKeyBase64)))).build();
        UUID acme = Tenants.create(before);
        Actor alice = Actor.user(UUID.randomUUID());
        UUID sealedUnderOldKey = before.tenant(acme, alice).inTransaction(tx -> tx.table(INTEGRATIONS)
                .insert(new IntegrationsRecord().setProvider("slack").setAccessToken(Secret.of("xoxb-old"))).getId());
        String accessToken = "ya29.a0AfH6SM";

        // doc:start
        // The data keys come from the service's secret store, never from the database.
        SecretKeys keys = SecretKeys.of(
                SecretKey.of("2026-11", Base64.getDecoder().decode(newKeyBase64)),     // primary: seals new values
                SecretKey.of("2026-05", Base64.getDecoder().decode(oldKeyBase64)));    // older: opens what it sealed
        Sentinel sentinel = Sentinel.builder()
                .dataSource(appDataSource)
                .secretKeys(keys)
                .build();

        UUID google = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(INTEGRATIONS).insert(new IntegrationsRecord()
                .setProvider("google").setStatus("connected").setAccessToken(Secret.of(accessToken))).getId());

        String token = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.table(INTEGRATIONS).get(google).getAccessToken().reveal());

        // Re-seal what the old key sealed; once nothing is pending, deploy without the old key.
        RotationResult rotated = sentinel.secretRotation().rotate(INTEGRATIONS);
        long pending = sentinel.secretRotation().pending(INTEGRATIONS);
        // doc:end

        assertThat(token).isEqualTo(accessToken);
        assertThat(rotated.rotated()).isEqualTo(1);
        assertThat(pending).isZero();
        assertThat(sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(INTEGRATIONS).get(sealedUnderOldKey))
                .getAccessToken().keyId()).contains("2026-11");
    }

    @Test
    void thePageShowsThisExample() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/sentinel/core/secrets/SecretsDocExampleTest.java"),
                StandardCharsets.UTF_8);
        String snippet = source.subList(source.indexOf("        // doc:start") + 1, source.indexOf("        // doc:end")).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String page = Files.readString(Path.of("../docs/secrets.md"), StandardCharsets.UTF_8);
        assertThat(page).describedAs("docs/secrets.md must show the example exactly as this test runs it").contains(snippet);
    }
}
