package dev.sentinel.core.internal;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableRecord;

/**
 * What the generic repository needs to know about a table, read once from the generated jOOQ
 * classes (DESIGN.md: runtime metadata comes from them, not from a live catalog query). A column
 * counts only with the conventional name and type, so a table that does not follow a convention
 * simply does not get that behaviour.
 *
 * @param table the table
 * @param id the {@code uuid id} column, or {@code null}
 * @param tenantId the {@code uuid tenant_id} column, or {@code null} for a global table
 * @param deletedAt the {@code timestamptz deleted_at} column, or {@code null} without soft delete
 * @param deletedBy the {@code uuid deleted_by} column, or {@code null}
 * @param deleteReason the {@code text delete_reason} column, or {@code null}
 * @param createdAt the {@code timestamptz created_at} column, or {@code null}
 * @param updatedAt the {@code timestamptz updated_at} column, or {@code null}
 * @param version the {@code int version} column, or {@code null} without optimistic locking
 * @param <R> the record type
 */
record TableMeta<R extends TableRecord<R>>(
        Table<R> table,
        TableField<R, UUID> id,
        TableField<R, UUID> tenantId,
        TableField<R, OffsetDateTime> deletedAt,
        TableField<R, UUID> deletedBy,
        TableField<R, String> deleteReason,
        TableField<R, OffsetDateTime> createdAt,
        TableField<R, OffsetDateTime> updatedAt,
        TableField<R, Integer> version) {

    private static final Map<Table<?>, TableMeta<?>> CACHE = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    static <R extends TableRecord<R>> TableMeta<R> of(Table<R> table) {
        return (TableMeta<R>) CACHE.computeIfAbsent(table, t -> read(table));
    }

    private static <R extends TableRecord<R>> TableMeta<R> read(Table<R> table) {
        return new TableMeta<>(table,
                field(table, "id", UUID.class),
                field(table, "tenant_id", UUID.class),
                field(table, "deleted_at", OffsetDateTime.class),
                field(table, "deleted_by", UUID.class),
                field(table, "delete_reason", String.class),
                field(table, "created_at", OffsetDateTime.class),
                field(table, "updated_at", OffsetDateTime.class),
                field(table, "version", Integer.class));
    }

    @SuppressWarnings("unchecked")
    private static <R extends TableRecord<R>, T> TableField<R, T> field(Table<R> table, String name, Class<T> type) {
        Field<?> field = table.field(name);
        if (field instanceof TableField<?, ?> tableField && field.getType() == type) {
            return (TableField<R, T>) tableField;
        }
        return null;
    }

    boolean softDeletes() {
        return deletedAt != null;
    }

    String name() {
        return table.getName();
    }
}
