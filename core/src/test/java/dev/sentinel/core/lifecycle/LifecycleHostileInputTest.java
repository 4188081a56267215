package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.core.db.Tables.USERS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditChainBrokenException;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.audit.AuditPublicKey;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.export.ArchiveVerifier;
import dev.sentinel.core.support.AuditTamper;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new calls of tenant export, checkpoints and their keys refuse bad input with a typed
 * {@code SentinelException} that says what to do, and write nothing: no archive directory, no
 * checkpoint row.
 */
class LifecycleHostileInputTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static Sentinel sentinel;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .auditKey(TenantExportTest.KEY).auditSigningKey(TenantExportTest.SIGNING).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void exportRefusesBadArgumentsAndWritesNothing() throws Exception {
        UUID tenant = Tenants.create(sentinel);
        Path existing = Files.createDirectory(temp.resolve("existing"));
        assertThatThrownBy(() -> sentinel.exportTenant(null, temp.resolve("a"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.exportTenant(tenant, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.exportTenant(tenant, existing)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> sentinel.exportTenant(tenant, temp.resolve("no/such/parent"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("create it first");
        assertThatThrownBy(() -> sentinel.exportTenant(UUID.randomUUID(), temp.resolve("unknown")))
                .isInstanceOf(NotFoundException.class);
        assertThat(temp.resolve("a")).doesNotExist();
        assertThat(temp.resolve("unknown")).doesNotExist();
        assertThat(existing).isEmptyDirectory();
        assertThat(checkpointRows()).isZero();
    }

    @Test
    void exportOfABrokenChainSignsNothingAndLeavesNoDirectory() throws Exception {
        UUID tenant = Tenants.create(sentinel);
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("w")));
        sentinel.auditChain().seal(tenant);
        AuditTamper.run(db, "update sentinel.audit_log set message = 'edited' where tenant_id = '" + tenant + "'");
        long before = checkpointRows();
        assertThatThrownBy(() -> sentinel.exportTenant(tenant, temp.resolve("broken"))).isInstanceOf(AuditChainBrokenException.class)
                .hasMessageContaining("nothing was signed");
        assertThat(temp.resolve("broken")).doesNotExist();
        try (var siblings = Files.list(temp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("partial"));
        }
        assertThat(checkpointRows()).isEqualTo(before);
    }

    @Test
    void withoutKeysExportAndCheckpointsSayWhatToConfigure() {
        try (Sentinel unsigned = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .auditKey(TenantExportTest.KEY).build();
                Sentinel keyless = Sentinel.builder().dataSource(db.appDataSource()).build()) {
            UUID tenant = Tenants.create(unsigned);
            assertThatThrownBy(() -> unsigned.exportTenant(tenant, temp.resolve("u"))).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("auditSigningKey");
            assertThatThrownBy(() -> unsigned.auditChain().checkpoint(tenant)).isInstanceOf(ConfigurationException.class);
            assertThatThrownBy(() -> unsigned.auditRetention(db.ownerDataSource(), Actor.service("x")))
                    .isInstanceOf(ConfigurationException.class);
            assertThatThrownBy(() -> keyless.exportTenant(tenant, temp.resolve("k"))).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("auditKey");
        }
    }

    @Test
    void theBuilderRefusesASigningKeyWithoutAnAuditKeyAndTablesThatAreNotTenantTables() {
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).auditSigningKey(TenantExportTest.SIGNING).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs auditKey");
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).tenantTables(USERS).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("sentinel.users is not a tenant table");
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).tenantTables(TENANTS).build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).tenantTables(WIDGETS, WIDGETS).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("declared twice");
    }

    @Test
    void keysAndCheckpointsRefuseMalformedText() throws Exception {
        String secret = TenantExportTest.SIGNING.encoded();
        String garbled = secret.substring(0, secret.length() / 2) + "!" + secret.substring(secret.length() / 2 + 1);
        assertThatThrownBy(() -> AuditSigningKey.parse(garbled)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.split(" ")[1]));
        assertThatThrownBy(() -> AuditSigningKey.parse(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AuditSigningKey.generate("no spaces allowed")).isInstanceOf(InvalidInputException.class);
        KeyPair one = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair another = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair mixed = new KeyPair(one.getPublic(), another.getPrivate());
        assertThatThrownBy(() -> AuditSigningKey.of("mixed", mixed)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not one pair");
        assertThatThrownBy(() -> AuditPublicKey.parse("k1 not-base64!")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AuditPublicKey.parse("")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AuditCheckpoint.parse("checkpoint x 1")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AuditCheckpoint.parse(null)).isInstanceOf(InvalidInputException.class);
        assertThat(TenantExportTest.SIGNING.toString()).doesNotContain(secret.split(" ")[1]);
    }

    @Test
    void theVerifierRefusesWhatIsNotAnArchive() {
        assertThatThrownBy(() -> ArchiveVerifier.verify(null, List.of(TenantExportTest.SIGNING.publicKey())))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ArchiveVerifier.verify(temp, List.of(TenantExportTest.SIGNING.publicKey())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no manifest.txt");
        assertThatThrownBy(() -> ArchiveVerifier.verify(temp, List.of())).isInstanceOf(InvalidInputException.class);
    }

    private static long checkpointRows() throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet row = statement.executeQuery("select count(*) from sentinel.audit_checkpoint")) {
            row.next();
            return row.getLong(1);
        }
    }
}
