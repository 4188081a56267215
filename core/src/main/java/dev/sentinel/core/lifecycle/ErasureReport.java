package dev.sentinel.core.lifecycle;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What an erasure did, as its record in the system trail says it (no personal value in it).
 *
 * @param recordId the id of the erasure's row in {@code sentinel.system_audit_log}
 * @param occurredAt the time of the erasure's transaction
 * @param table the table's logical name ({@code users}, {@code agency.leads})
 * @param tenantId the tenant of the row, or {@code null} for a global row
 * @param rowId the row's id
 * @param columns the table's personal columns
 * @param liveValues how many personal values the live row held (null columns not counted)
 * @param trailValues how many values of the row were deleted from the trails' side tables, each a
 *     commitment in some audit diff that now reads {@code "[erased]"}
 */
public record ErasureReport(UUID recordId, OffsetDateTime occurredAt, String table, UUID tenantId, UUID rowId,
        List<String> columns, int liveValues, long trailValues) {

    /** Copies the column list. */
    public ErasureReport {
        columns = List.copyOf(columns);
    }
}
