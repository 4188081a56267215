package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.testservice.db.Tables.GADGETS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditPublicKey;
import dev.sentinel.core.audit.AuditRetention;
import dev.sentinel.core.audit.AuditRetention.RetentionResult;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.export.ArchiveVerification;
import dev.sentinel.core.export.ArchiveVerifier;
import dev.sentinel.core.export.ExportResult;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/concepts.md, "Tenant lifecycle": export, offline verification, audit retention. */
class LifecycleDocExampleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    @TempDir
    Path temp;

    @Test
    void exportAVerifyOfflineAndRetention() {
        AuditKey auditKey = TenantExportTest.KEY;
        String storedSigningKey = TenantExportTest.SIGNING.encoded(); // from the service's secret store
        DataSource ownerDataSource = db.ownerDataSource();
        Duration retentionPeriod = Duration.ZERO; // every sealed row is old enough in this test

        Sentinel sentinel = Sentinel.builder()
                .dataSource(db.appDataSource())
                .systemDataSource(db.systemDataSource())
                .auditKey(auditKey)
                .auditSigningKey(AuditSigningKey.parse(storedSigningKey))
                .tenantTables(WIDGETS, GADGETS) // the service's own tenant tables, from its generated classes
                .build();
        UUID tenantId = Tenants.create(sentinel);
        sentinel.tenant(tenantId, Actor.service("doc")).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("w")));
        Path directory = temp.resolve("acme-export");

        ExportResult export = sentinel.exportTenant(tenantId, directory);
        String publicKey = AuditSigningKey.parse(storedSigningKey).publicKey().toString(); // hand this line to the customer

        // The customer, with the archive and the public key only:
        ArchiveVerification verification = ArchiveVerifier.verify(directory, List.of(AuditPublicKey.parse(publicKey)));
        assertThat(verification.problems()).isEmpty();
        assertThat(export.rowsOf("tables/public.widgets.jsonl")).isEqualTo(1);

        AuditRetention retention = sentinel.auditRetention(ownerDataSource, Actor.service("retention-job"));
        RetentionResult removed = retention.removeBefore(tenantId, Instant.now().minus(retentionPeriod));
        ChainVerification chain = sentinel.auditChain().verify(tenantId); // starts at removed.checkpoint()
        assertThat(chain.intact()).isTrue();
        assertThat(removed.rowsRemoved()).isEqualTo(2);
        sentinel.close();
    }
}
