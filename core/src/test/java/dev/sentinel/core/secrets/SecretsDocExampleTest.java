package dev.sentinel.core.secrets;

import static dev.sentinel.core.testservice.db.Tables.VAULT_ITEMS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.VaultItemsRecord;
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

/**
 * The example of docs/secrets.md runs, and the page shows exactly this code. Its table is the
 * service's {@code vault_items} that the page shows under "A service's own tables".
 */
class SecretsDocExampleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    @Test
    void theExampleRuns() {
        DataSource appDataSource = db.appDataSource();
        DataSource systemDataSource = db.systemDataSource();
        String oldKeyBase64 = Base64.getEncoder().encodeToString(TestKeys.material("2026-05", "doc"));
        String newKeyBase64 = Base64.getEncoder().encodeToString(TestKeys.material("2026-11", "doc"));
        Sentinel before = Sentinel.builder().dataSource(appDataSource).systemDataSource(systemDataSource)
                .secretKeys(SecretKeys.of(SecretKey.of("2026-05", Base64.getDecoder().decode(oldKeyBase64)))).build();
        UUID acme = Tenants.create(before);
        Actor alice = Actor.user(UUID.randomUUID());
        UUID sealedUnderOldKey = before.tenant(acme, alice).inTransaction(tx -> tx.table(VAULT_ITEMS)
                .insert(new VaultItemsRecord().setLabel("old partner").setApiSecret(Secret.of("sk_live_old"))).getId());
        String apiSecret = "sk_live_51HqLyjWDarjtT1zdp7dc";

        // doc:start
        // The data keys come from the service's secret store, never from the database.
        SecretKeys keys = SecretKeys.of(
                SecretKey.of("2026-11", Base64.getDecoder().decode(newKeyBase64)),     // primary: seals new values
                SecretKey.of("2026-05", Base64.getDecoder().decode(oldKeyBase64)));    // older: opens what it sealed
        Sentinel sentinel = Sentinel.builder()
                .dataSource(appDataSource)
                .systemDataSource(systemDataSource)     // key checks and rotation run in the system scope
                .secretKeys(keys)
                .build();

        UUID partner = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(VAULT_ITEMS).insert(new VaultItemsRecord()
                .setLabel("partner").setApiSecret(Secret.of(apiSecret))).getId());

        String secret = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.table(VAULT_ITEMS).get(partner).getApiSecret().reveal());

        // Re-seal what the old key sealed; once nothing is pending, deploy without the old key.
        RotationResult rotated = sentinel.secretRotation().rotate(VAULT_ITEMS);
        long pending = sentinel.secretRotation().pending(VAULT_ITEMS);
        // doc:end

        assertThat(secret).isEqualTo(apiSecret);
        assertThat(rotated.rotated()).isEqualTo(1);
        assertThat(pending).isZero();
        assertThat(sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(VAULT_ITEMS).get(sealedUnderOldKey))
                .getApiSecret().keyId()).contains("2026-11");
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
