package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.testservice.db.Tables.GADGETS;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.export.ExportResult;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

/**
 * A service's export run in a JVM of its own, which {@link LargeTenantExportTest} starts with a small
 * heap: arguments JDBC URL, application role, system role, tenant, directory; environment
 * {@code PGPASSWORD}, {@code AUDIT_SECRET} (base64) and {@code SIGNING_KEY}.
 */
public final class BoundedExportMain {

    private BoundedExportMain() {
    }

    /**
     * Exports the tenant and prints the rows of its gadgets file and the heap's maximum.
     *
     * @param args URL, application role, system role, tenant, directory
     */
    public static void main(String[] args) {
        String password = System.getenv("PGPASSWORD");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[2]);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        config.setAutoCommit(false);
        try (HikariDataSource system = new HikariDataSource(config);
                Sentinel sentinel = Sentinel.builder().jdbcUrl(args[0], args[1], password).maximumPoolSize(2).systemDataSource(system)
                        .auditKey(AuditKey.of("k1", Base64.getDecoder().decode(System.getenv("AUDIT_SECRET"))))
                        .auditSigningKey(AuditSigningKey.parse(System.getenv("SIGNING_KEY")))
                        .tenantTables(GADGETS).build()) {
            ExportResult result = sentinel.exportTenant(UUID.fromString(args[3]), Path.of(args[4]));
            System.out.println("gadgets=" + result.rowsOf("tables/public.gadgets.jsonl") + " maxHeap=" + Runtime.getRuntime().maxMemory());
        }
    }
}
