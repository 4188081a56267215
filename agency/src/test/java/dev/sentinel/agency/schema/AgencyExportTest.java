package dev.sentinel.agency.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.Agency;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.export.ArchiveVerification;
import dev.sentinel.core.export.ArchiveVerifier;
import dev.sentinel.core.export.ExportResult;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.Globals;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's archive holds every agency table the module declares, each row of the tenant in it
 * and none of another tenant, and verifies offline with the public key.
 */
class AgencyExportTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    @TempDir
    Path temp;

    @Test
    void theArchiveHoldsEveryAgencyTableOfTheTenant() throws Exception {
        Globals globals = SchemaFixture.insertGlobals(db.systemDataSource());
        AgencySchemaFixture.TenantRowsWithProject a = AgencySchemaFixture.insertTenant(db.systemDataSource(), "export-a", globals);
        AgencySchemaFixture.TenantRowsWithProject b = AgencySchemaFixture.insertTenant(db.systemDataSource(), "export-b", globals);
        AuditSigningKey signing = AuditSigningKey.generate("agency-1");
        try (Sentinel sentinel = AgencyDatabase.sentinel(db)
                .auditKey(AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
                .auditSigningKey(signing).build()) {
            ExportResult export = sentinel.exportTenant(a.tenantId(), temp.resolve("a"));

            List<Table<?>> tables = Agency.module().tenantTables();
            assertThat(tables).extracting(Table::getName).contains("projects", "invoices", "leads", "ledger_entries");
            for (Table<?> table : tables) {
                String file = "tables/agency." + table.getName() + ".jsonl";
                int rows = sentinel.system(Actor.service("test")).inTransaction(tx -> tx.dsl()
                        .fetchCount(table, DSL.field(DSL.name("tenant_id")).eq(a.tenantId())));
                assertThat(rows).describedAs(file).isPositive();
                assertThat(export.rowsOf(file)).describedAs(file).isEqualTo(rows);
            }
            ArchiveVerification verification = ArchiveVerifier.verify(export.directory(), List.of(signing.publicKey()));
            assertThat(verification.problems()).isEmpty();
            assertThat(verification.auditRowsVerified()).isPositive();
            try (Stream<Path> files = Files.walk(export.directory())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file)).describedAs(file.toString()).doesNotContain(b.tenantId().toString());
                }
            }
        }
    }
}
