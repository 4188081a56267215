package dev.sentinel.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.export.ArchiveVerification;
import dev.sentinel.core.export.ArchiveVerifier;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export of a tenant of 100,000 rows streams: it runs in a JVM of its own whose heap is a
 * fraction of the table it writes, so a table held in memory (a fetched result, a driver reading
 * without a cursor, a file built in a string) would fail it with OutOfMemoryError.
 */
class LargeTenantExportTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final int ROWS = 100_000;
    private static final String HEAP = "-Xmx20m";
    private static final long HEAP_BYTES = 20L << 20;

    @TempDir
    Path temp;

    @Test
    void aTenantOfOneHundredThousandRowsExportsInAHeapSmallerThanItsTable() throws Exception {
        UUID tenant;
        try (Sentinel sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
            tenant = Tenants.create(sentinel);
            UUID owner = tenant;
            // One statement: 100,000 rows of about 500 bytes each.
            sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.dsl().execute("""
                    insert into gadgets (tenant_id, id, label)
                    select {0}, gen_random_uuid(), repeat('x', 450) || g from generate_series(1, {1}) g""",
                    DSL.val(owner), DSL.val(ROWS)));
        }
        Path out = temp.resolve("archive");
        ProcessBuilder fork = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), BoundedExportMain.class.getName(),
                db.jdbcUrl(), db.roles().app(), db.roles().system(), tenant.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("fork.log").toFile());
        fork.environment().put("PGPASSWORD", db.rolePassword());
        fork.environment().put("AUDIT_SECRET", Base64.getEncoder().encodeToString(TenantExportTest.AUDIT_SECRET));
        fork.environment().put("SIGNING_KEY", TenantExportTest.SIGNING.encoded());
        Process process = fork.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(temp.resolve("fork.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).describedAs(log).isZero();
        assertThat(log).contains("gadgets=" + ROWS);

        long tableBytes = Files.size(out.resolve("tables/public.gadgets.jsonl"));
        System.out.println("LargeTenantExportTest: " + ROWS + " rows, " + (tableBytes >> 20) + " MiB of JSON lines, exported with "
                + HEAP + " (" + log.strip().lines().filter(l -> l.startsWith("gadgets=")).findFirst().orElse("") + ")");
        assertThat(tableBytes).describedAs("the table is larger than twice the export's heap").isGreaterThan(2 * HEAP_BYTES);
        ArchiveVerification verification = ArchiveVerifier.verify(out, List.of(TenantExportTest.SIGNING.publicKey()));
        assertThat(verification.problems()).isEmpty();
        assertThat(TenantExportTest.manifestRows(out).get("tables/public.gadgets.jsonl")).isEqualTo((long) ROWS);
    }
}
