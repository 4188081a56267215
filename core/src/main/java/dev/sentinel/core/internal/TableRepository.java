package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Repository;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.TransactionConflictException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Result;
import org.jooq.TableField;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

/** The generic {@link Repository}: one table, one transaction, one visibility of soft-deleted rows. */
final class TableRepository<R extends TableRecord<R>> implements Repository<R> {

    /** Which rows reads return. */
    enum Visibility { LIVE, ALL, DELETED }

    private static final int MAX_REASON = 1000;
    /** Columns that update() leaves alone: soft delete and version have their own operations. */
    private static final Set<String> NOT_UPDATABLE = Set.of("created_at", "deleted_at", "deleted_by", "delete_reason", "version");

    private final TxImpl tx;
    private final TableMeta<R> meta;
    private final Visibility visibility;

    TableRepository(TxImpl tx, TableMeta<R> meta, Visibility visibility) {
        this.tx = tx;
        this.meta = meta;
        this.visibility = visibility;
    }

    @Override
    public Optional<R> find(UUID id) {
        return Optional.ofNullable(bind(dsl().selectFrom(meta.table()).where(byId(id)).and(visible()).fetchOne()));
    }

    @Override
    public R get(UUID id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    @Override
    public Page<R> list(Condition condition, PageRequest page) {
        Objects.requireNonNull(condition, "condition: use DSL.noCondition() for all rows");
        Objects.requireNonNull(page, "page");
        TableField<R, UUID> id = requireId("list");
        Condition where = scope().and(visible()).and(condition);
        if (page.after() != null) {
            where = where.and(id.gt(page.after()));
        }
        Result<R> rows = dsl().selectFrom(meta.table()).where(where).orderBy(id).limit(page.size() + 1).fetch();
        List<R> items = RowSecrets.bindAll(meta, new ArrayList<>(rows.subList(0, Math.min(page.size(), rows.size()))), tx.secretCipher(), tx.isSystemScope());
        Optional<PageRequest> next = rows.size() > page.size()
                ? Optional.of(new PageRequest(items.getLast().get(id), page.size()))
                : Optional.empty();
        return new Page<>(items, next);
    }

    @Override
    public long count(Condition condition) {
        Objects.requireNonNull(condition, "condition: use DSL.noCondition() for all rows");
        return dsl().fetchCount(meta.table(), scope().and(visible()).and(condition));
    }

    @Override
    public R insert(R record) {
        Map<Field<?>, Object> values = insertValues(record);
        RowSecrets.seal(meta, values, tx.secretCipher(), tenantOf(values), meta.id() == null ? null : (UUID) values.get(meta.id()));
        return bind(dsl().insertInto(meta.table()).set(values).returning().fetchOne());
    }

    @Override
    @SafeVarargs
    public final R upsert(R record, TableField<R, ?>... conflictColumns) {
        if (conflictColumns == null || conflictColumns.length == 0) {
            throw new InvalidInputException("upsert on " + meta.name() + ": name the columns of the unique key as the conflict target");
        }
        Map<Field<?>, Object> values = insertValues(record);
        if (RowSecrets.anySet(meta, values)) {
            return upsertSealed(values, conflictColumns);
        }
        return bind(plainUpsert(values, conflictColumns, DSL.noCondition()));
    }

    @Override
    public R update(R record) {
        Objects.requireNonNull(record, "record");
        TableField<R, UUID> idField = requireId("update");
        UUID id = record.get(idField);
        if (id == null) {
            throw new InvalidInputException("update on " + meta.name() + ": the record has no id; read the row with find or get first");
        }
        if (meta.tenantId() != null && record.changed(meta.tenantId())) {
            throw new TenantMismatchException("update on " + meta.name() + ": tenant_id cannot change; a row stays in its tenant");
        }
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        for (Field<?> field : record.fields()) {
            if (record.changed(field) && !identity(field) && !NOT_UPDATABLE.contains(field.getName())) {
                values.put(meta.table().field(field), record.get(field));
            }
        }
        if (values.isEmpty()) {
            return get(id);
        }
        if (meta.updatedAt() != null && !record.changed(meta.updatedAt())) {
            values.put(meta.updatedAt(), now());
        }
        Condition where = byId(id).and(live());
        if (meta.version() != null) {
            Integer expected = record.original(meta.version());
            if (expected == null) {
                throw new InvalidInputException("update on " + meta.name() + ": the record carries no version; read the row"
                        + " with find or get, change it, then update it");
            }
            where = where.and(meta.version().eq(expected));
            values.put(meta.version(), meta.version().plus(1));
        }
        if (RowSecrets.anySet(meta, values)) {
            UUID tenant = null;
            if (meta.tenantId() != null) {
                tenant = tx.isSystemScope() ? record.get(meta.tenantId()) : tx.tenantId().orElseThrow();
                if (tenant == null) {
                    throw new MissingScopeException("update on " + meta.name() + " in the system scope: the record sets a"
                            + " secret column, which is sealed for the row's tenant, but carries no tenant_id; read the row"
                            + " first, or update it in its tenant's scope");
                }
                // The value is sealed for this tenant: the row must be that tenant's.
                where = where.and(meta.tenantId().eq(tenant));
            }
            RowSecrets.seal(meta, values, tx.secretCipher(), tenant, id);
        }
        R updated = bind(dsl().update(meta.table()).set(values).where(where).returning().fetchOne());
        if (updated == null) {
            if (meta.version() != null && dsl().fetchExists(meta.table(), byId(id).and(live()))) {
                throw new StaleRecordException("update on " + meta.name() + " " + id + ": the row changed since version "
                        + record.original(meta.version()) + " was read; read it again and reapply the change");
            }
            throw notFound(id);
        }
        return updated;
    }

    @Override
    public R softDelete(UUID id, String reason) {
        requireSoftDelete("softDelete");
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new InvalidInputException("softDelete on " + meta.name() + ": give a reason of 1 to " + MAX_REASON + " characters");
        }
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(meta.deletedAt(), now());
        if (meta.deletedBy() != null) {
            values.put(meta.deletedBy(), tx.actor().userId().orElse(null));
        }
        if (meta.deleteReason() != null) {
            values.put(meta.deleteReason(), reason);
        }
        return transition(id, values, live(), "is already deleted");
    }

    @Override
    public R restore(UUID id) {
        requireSoftDelete("restore");
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(meta.deletedAt(), null);
        if (meta.deletedBy() != null) {
            values.put(meta.deletedBy(), null);
        }
        if (meta.deleteReason() != null) {
            values.put(meta.deleteReason(), null);
        }
        return transition(id, values, meta.deletedAt().isNotNull(), "is not deleted");
    }

    @Override
    public void purge(UUID id) {
        if (!tx.isSystemScope()) {
            throw new PermissionDeniedException("purge on " + meta.name() + ": a hard delete needs the system scope;"
                    + " in a tenant scope, softDelete the row");
        }
        tx.authorize("data:purge");
        if (dsl().deleteFrom(meta.table()).where(byId(id)).execute() == 0) {
            throw notFound(id);
        }
    }

    @Override
    public Repository<R> withDeleted() {
        requireSoftDelete("withDeleted");
        return new TableRepository<>(tx, meta, Visibility.ALL);
    }

    @Override
    public Repository<R> onlyDeleted() {
        requireSoftDelete("onlyDeleted");
        return new TableRepository<>(tx, meta, Visibility.DELETED);
    }

    private R transition(UUID id, Map<Field<?>, Object> values, Condition from, String wrongState) {
        if (meta.updatedAt() != null) {
            values.put(meta.updatedAt(), now());
        }
        R row = bind(dsl().update(meta.table()).set(values).where(byId(id)).and(from).returning().fetchOne());
        if (row == null) {
            if (dsl().fetchExists(meta.table(), byId(id))) {
                throw new InvalidStateTransitionException(meta.name() + " " + id + " " + wrongState);
            }
            throw notFound(id);
        }
        return row;
    }

    /**
     * An upsert that writes a secret. A sealed value is bound to its row's id, which an
     * {@code ON CONFLICT DO UPDATE} would take from the existing row: so the existing row is looked
     * up (and locked) first and the value sealed for its id, or for the new id if there is none, and
     * the conflict update applies only to the row the value was sealed for. A row inserted
     * concurrently between the lookup and the upsert makes the upsert change nothing; the lookup
     * then finds it, once.
     */
    private R upsertSealed(Map<Field<?>, Object> values, TableField<R, ?>[] conflictColumns) {
        TableField<R, UUID> idField = requireId("upsert of a secret");
        UUID tenant = tenantOf(values);
        for (int attempt = 0; attempt < 2; attempt++) {
            Condition sameKey = meta.tenantId() == null ? DSL.noCondition() : meta.tenantId().eq(tenant);
            boolean lookup = true;
            for (TableField<R, ?> column : conflictColumns) {
                Object value = values.get(meta.table().field(column));
                if (value == null) {
                    lookup = false; // a null never conflicts under a unique index that treats nulls as distinct
                }
                @SuppressWarnings("unchecked")
                Field<Object> field = (Field<Object>) column;
                sameKey = sameKey.and(field.eq(value));
            }
            if (meta.softDeletes()) {
                sameKey = sameKey.and(meta.deletedAt().isNull());
            }
            UUID existing = lookup ? dsl().select(idField).from(meta.table()).where(sameKey).forUpdate().fetchOne(idField) : null;
            UUID rowId = existing != null ? existing : (UUID) values.get(idField);
            Map<Field<?>, Object> sealed = new LinkedHashMap<>(values);
            RowSecrets.seal(meta, sealed, tx.secretCipher(), tenant, rowId);
            R row = plainUpsert(sealed, conflictColumns, idField.eq(rowId));
            if (row != null) {
                return bind(row);
            }
        }
        throw new TransactionConflictException("upsert on " + meta.name() + ": a row with the same key appeared twice"
                + " while the secret was sealed for its id; run the transaction again");
    }

    private R plainUpsert(Map<Field<?>, Object> values, TableField<R, ?>[] conflictColumns, Condition onlyRow) {
        List<Field<?>> target = new ArrayList<>();
        if (meta.tenantId() != null) {
            target.add(meta.tenantId());
        }
        for (TableField<R, ?> column : conflictColumns) {
            if (!column.equals(meta.tenantId())) {
                target.add(column);
            }
        }
        Map<Field<?>, Object> updates = new LinkedHashMap<>();
        for (Map.Entry<Field<?>, Object> value : values.entrySet()) {
            if (!target.contains(value.getKey()) && !identity(value.getKey())) {
                updates.put(value.getKey(), DSL.excluded(value.getKey()));
            }
        }
        if (updates.isEmpty()) {
            throw new InvalidInputException("upsert on " + meta.name() + ": the record sets no column besides the conflict"
                    + " target; set the columns to update");
        }
        var insert = dsl().insertInto(meta.table()).set(values).onConflict(target);
        var conflict = meta.softDeletes() ? insert.where(meta.deletedAt().isNull()) : insert;
        return conflict.doUpdate().set(updates).where(onlyRow).returning().fetchOne();
    }

    private UUID tenantOf(Map<Field<?>, Object> values) {
        return meta.tenantId() == null ? null : (UUID) values.get(meta.tenantId());
    }

    private R bind(R record) {
        return RowSecrets.bind(meta, record, tx.secretCipher(), tx.isSystemScope());
    }

    private Map<Field<?>, Object> insertValues(R record) {
        Objects.requireNonNull(record, "record");
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        for (Field<?> field : record.fields()) {
            if (record.changed(field)) {
                values.put(meta.table().field(field), record.get(field));
            }
        }
        if (meta.tenantId() != null) {
            UUID tenant = (UUID) values.get(meta.tenantId());
            if (tx.isSystemScope()) {
                if (tenant == null) {
                    throw new MissingScopeException("insert into " + meta.name() + " in the system scope: set tenant_id"
                            + " explicitly, or write in a tenant scope");
                }
            } else if (tenant == null) {
                values.put(meta.tenantId(), tx.tenantId().orElseThrow());
            } else if (!tenant.equals(tx.tenantId().orElseThrow())) {
                throw new TenantMismatchException("insert into " + meta.name() + ": the record's tenant_id " + tenant
                        + " is not the scope's tenant " + tx.tenantId().orElseThrow() + "; leave tenant_id unset");
            }
        }
        if (meta.id() != null && values.get(meta.id()) == null) {
            values.put(meta.id(), Ids.next());
        }
        if (meta.softDeletes() && values.get(meta.deletedAt()) != null) {
            throw new InvalidInputException("insert into " + meta.name() + ": the record is marked deleted;"
                    + " insert a live row and softDelete it afterwards");
        }
        OffsetDateTime now = now();
        if (meta.createdAt() != null && values.get(meta.createdAt()) == null) {
            values.put(meta.createdAt(), now);
        }
        if (meta.updatedAt() != null && values.get(meta.updatedAt()) == null) {
            values.put(meta.updatedAt(), now);
        }
        return values;
    }

    private boolean identity(Field<?> field) {
        return field.equals(meta.id()) || field.equals(meta.tenantId()) || field.equals(meta.createdAt());
    }

    /** The explicit tenant predicate: the planner uses it for the tenant-first indexes, Citus routes on it. */
    private Condition scope() {
        return meta.tenantId() != null && !tx.isSystemScope()
                ? meta.tenantId().eq(tx.tenantId().orElseThrow())
                : DSL.noCondition();
    }

    private Condition byId(UUID id) {
        if (id == null) {
            throw new InvalidInputException("An id on " + meta.name() + " is null");
        }
        return requireId("a lookup by id").eq(id).and(scope());
    }

    private Condition visible() {
        if (!meta.softDeletes()) {
            return DSL.noCondition();
        }
        return switch (visibility) {
            case LIVE -> meta.deletedAt().isNull();
            case ALL -> DSL.noCondition();
            case DELETED -> meta.deletedAt().isNotNull();
        };
    }

    private Condition live() {
        return meta.softDeletes() ? meta.deletedAt().isNull() : DSL.noCondition();
    }

    private TableField<R, UUID> requireId(String operation) {
        if (meta.id() == null) {
            throw new SentinelException(operation + " on " + meta.name() + ": the table has no uuid id column; use tx.dsl()");
        }
        return meta.id();
    }

    private void requireSoftDelete(String operation) {
        if (!meta.softDeletes()) {
            throw new SentinelException(operation + " on " + meta.name() + ": the table has no deleted_at column;"
                    + " add deleted_at, deleted_by and delete_reason to soft-delete it");
        }
    }

    private NotFoundException notFound(UUID id) {
        return new NotFoundException("No " + meta.name() + " row " + id + " in " + (tx.isSystemScope() ? "the system scope"
                : "tenant " + tx.tenantId().orElseThrow()) + (visibility == Visibility.DELETED ? " among deleted rows" : ""));
    }

    private OffsetDateTime now() {
        return tx.now();
    }

    private DSLContext dsl() {
        return tx.dsl();
    }
}
