package dev.sentinel.core.export;

import dev.sentinel.core.audit.AuditCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What {@link dev.sentinel.core.Sentinel#exportTenant} wrote.
 *
 * @param tenantId the tenant
 * @param directory the archive's directory
 * @param rows the rows written per file, by the file's path in the archive ({@code tables/<schema>.<table>.jsonl}
 *     and the audit files), as the manifest lists them
 * @param checkpoint the signed checkpoint the archived audit trail ends at
 */
public record ExportResult(UUID tenantId, Path directory, Map<String, Long> rows, AuditCheckpoint checkpoint) {

    /**
     * The rows of one file.
     *
     * @param file the file's path in the archive
     * @return its rows, 0 if the archive has no such file
     */
    public long rowsOf(String file) {
        return rows.getOrDefault(file, 0L);
    }
}
