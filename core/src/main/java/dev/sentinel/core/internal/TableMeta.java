package dev.sentinel.core.internal;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.secrets.Secret;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param secrets the columns commented {@code sentinel:secret}, typed {@link Secret} by the codegen
 *     plugin; empty for most tables
 * @param secretProblem why the table's secret columns cannot be sealed, or {@code null}
 * @param tenantReadable the columns the tenant pool's role may read: all of them, except the
 *     kernel's credential columns, whose SELECT privilege only the system role has (V25)
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
        TableField<R, Integer> version,
        List<TableField<R, Secret>> secrets,
        String secretProblem,
        List<Field<?>> tenantReadable) {

    /** The comment prefix that marks a secret column, as {@code sentinel.audit_table} reads it. */
    static final String SECRET_MARKER = "sentinel:secret";

    /**
     * The columns whose SELECT V25 revokes from the application role, by table: a user's password
     * hash and MFA seed are read only in the system scope, on the system role's pool.
     */
    private static final Map<String, Set<String>> CREDENTIAL_COLUMNS = Map.of(
            "sentinel.users", Set.of("password_hash", "mfa_secret"));

    private static final Map<Table<?>, TableMeta<?>> CACHE = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    static <R extends TableRecord<R>> TableMeta<R> of(Table<R> table) {
        return (TableMeta<R>) CACHE.computeIfAbsent(table, t -> read(table));
    }

    @SuppressWarnings("unchecked")
    private static <R extends TableRecord<R>> TableMeta<R> read(Table<R> table) {
        TableField<R, UUID> id = field(table, "id", UUID.class);
        List<TableField<R, Secret>> secrets = new ArrayList<>();
        List<String> untyped = new ArrayList<>();
        for (Field<?> field : table.fields()) {
            if (field instanceof TableField<?, ?> column && field.getType() == Secret.class) {
                secrets.add((TableField<R, Secret>) column);
            } else if (field.getComment() != null && field.getComment().startsWith(SECRET_MARKER)) {
                untyped.add(field.getName());
            }
        }
        String problem = null;
        if (!untyped.isEmpty()) {
            problem = "the sentinel:secret columns " + untyped + " of " + table.getName() + " are generated as "
                    + "plain values, so the repository cannot seal them: generate the table's classes with"
                    + " sentinel-codegen-maven-plugin, which types them dev.sentinel.core.secrets.Secret";
        } else if (!secrets.isEmpty() && id == null) {
            problem = table.getName() + " has sentinel:secret columns but no uuid id column, and a sealed value is bound"
                    + " to its row's id: add an id uuid column";
        }
        String qualified = (table.getSchema() == null ? "" : table.getSchema().getName() + ".") + table.getName();
        Set<String> credentials = CREDENTIAL_COLUMNS.getOrDefault(qualified, Set.of());
        List<Field<?>> tenantReadable = new ArrayList<>();
        for (Field<?> field : table.fields()) {
            if (!credentials.contains(field.getName())) {
                tenantReadable.add(field);
            }
        }
        return new TableMeta<>(table,
                id,
                field(table, "tenant_id", UUID.class),
                field(table, "deleted_at", OffsetDateTime.class),
                field(table, "deleted_by", UUID.class),
                field(table, "delete_reason", String.class),
                field(table, "created_at", OffsetDateTime.class),
                field(table, "updated_at", OffsetDateTime.class),
                field(table, "version", Integer.class),
                List.copyOf(secrets),
                problem,
                List.copyOf(tenantReadable));
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

    /** {@code <schema>.<table>} as generated: the table part of a secret's associated data. */
    String qualifiedName() {
        return (table.getSchema() == null ? "" : table.getSchema().getName() + ".") + table.getName();
    }

    /** Whether the tenant pool's role may read every column; if not, tenant reads name {@link #tenantReadable}. */
    boolean tenantReadsAll() {
        return tenantReadable.size() == table.fields().length;
    }

    boolean hasSecrets() {
        return !secrets.isEmpty();
    }

    /**
     * Fails if the table has secret columns that cannot be sealed.
     *
     * @throws ConfigurationException naming the columns and the fix
     */
    void requireSealable() {
        if (secretProblem != null) {
            throw new ConfigurationException("tx.table(" + table.getName() + "): " + secretProblem);
        }
    }
}
