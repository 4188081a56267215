package dev.sentinel.bench;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code plain_notes} as the plain JDBC variant maps it, the way JDBC code maps rows to
 * a DTO.
 *
 * @param tenantId the tenant
 * @param id the id
 * @param title the title
 * @param body the body
 * @param status open, done or archived
 * @param priority the priority
 * @param version the optimistic-locking version
 * @param createdAt when created
 * @param updatedAt when last updated
 * @param deletedAt when soft-deleted, or null
 * @param deletedBy who soft-deleted, or null
 * @param deleteReason why, or null
 */
record Note(UUID tenantId, UUID id, String title, String body, String status, int priority, int version,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt, UUID deletedBy, String deleteReason) {

    /** The columns in the order {@link #read} expects, for {@code select} and {@code returning}. */
    static final String COLUMNS = "tenant_id, id, title, body, status, priority, version, created_at, updated_at, "
            + "deleted_at, deleted_by, delete_reason";

    /**
     * Maps the current row.
     *
     * @param rs a result set positioned on a row with {@link #COLUMNS}
     * @return the note
     * @throws SQLException if reading fails
     */
    static Note read(ResultSet rs) throws SQLException {
        return new Note(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getObject(8, OffsetDateTime.class),
                rs.getObject(9, OffsetDateTime.class), rs.getObject(10, OffsetDateTime.class), rs.getObject(11, UUID.class),
                rs.getString(12));
    }

    /**
     * The columns by name, for the audit diff.
     *
     * @return column name to value, in table order
     */
    Map<String, Object> columns() {
        Map<String, Object> columns = new LinkedHashMap<>(16);
        columns.put("tenant_id", tenantId);
        columns.put("id", id);
        columns.put("title", title);
        columns.put("body", body);
        columns.put("status", status);
        columns.put("priority", priority);
        columns.put("version", version);
        columns.put("created_at", createdAt);
        columns.put("updated_at", updatedAt);
        columns.put("deleted_at", deletedAt);
        columns.put("deleted_by", deletedBy);
        columns.put("delete_reason", deleteReason);
        return columns;
    }
}
