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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Row;
import org.jooq.RowN;
import org.jooq.SelectJoinStep;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

/** The generic {@link Repository}: one table, one transaction, one visibility of soft-deleted rows. */
final class TableRepository<R extends TableRecord<R>> implements Repository<R> {

    /** Which rows reads return. */
    enum Visibility { LIVE, ALL, DELETED }

    private static final int MAX_REASON = 1000;
    private static final String BATCH_FAILED = "A batch write (%s on %s) failed after its statement had written some"
            + " rows, and its exception was caught; the whole transaction was rolled back, so that the batch writes nothing";
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
        return Optional.ofNullable(bind(rows().where(byId(id)).and(visible()).fetchOneInto(meta.table())));
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
        Result<R> rows = rows().where(where).orderBy(id).limit(page.size() + 1).fetchInto(meta.table());
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
    public List<R> insertAll(Collection<R> records) {
        Objects.requireNonNull(records, "records");
        // Every record is prepared (and so validated) before anything is sent.
        List<Map<Field<?>, Object>> rows = new ArrayList<>(records.size());
        for (R record : records) {
            if (record == null) {
                throw new InvalidInputException("insertAll on " + meta.name() + ": a record is null");
            }
            Map<Field<?>, Object> values = insertValues(record);
            RowSecrets.seal(meta, values, tx.secretCipher(), tenantOf(values), meta.id() == null ? null : (UUID) values.get(meta.id()));
            rows.add(values);
        }
        List<Field<?>> columns = new ArrayList<>();
        for (Map<Field<?>, Object> row : rows) {
            for (Field<?> field : row.keySet()) {
                if (!columns.contains(field)) {
                    columns.add(field);
                }
            }
        }
        List<R> stored = new ArrayList<>(rows.size());
        for (List<Map<Field<?>, Object>> chunk : chunks(rows, columns.size())) {
            var insert = dsl().insertInto(meta.table(), columns);
            for (Map<Field<?>, Object> row : chunk) {
                List<Field<?>> values = new ArrayList<>(columns.size());
                for (Field<?> column : columns) {
                    // A column another record sets and this one does not takes its default, as in insert().
                    values.add(row.containsKey(column) ? value(column, row.get(column)) : DSL.defaultValue(column));
                }
                insert.values(values);
            }
            stored.addAll(inOrder(insert.returning().fetch(), chunk.stream().map(row -> (UUID) row.get(meta.id())).toList()));
        }
        return RowSecrets.bindAll(meta, stored, tx.secretCipher(), tx.isSystemScope());
    }

    @Override
    public List<R> updateAll(Collection<R> records) {
        Objects.requireNonNull(records, "records");
        TableField<R, UUID> idField = requireId("updateAll");
        Set<UUID> seen = new HashSet<>();
        // Records grouped by the columns they change: one statement shape per group.
        Map<List<Field<?>>, List<Map<Field<?>, Object>>> groups = new LinkedHashMap<>();
        Map<UUID, Integer> expectedVersions = new HashMap<>();
        List<UUID> order = new ArrayList<>(records.size());
        List<R> oneByOne = new ArrayList<>();
        List<UUID> unchanged = new ArrayList<>();
        for (R record : records) {
            if (record == null) {
                throw new InvalidInputException("updateAll on " + meta.name() + ": a record is null");
            }
            UUID id = record.get(idField);
            if (id == null) {
                throw new InvalidInputException("updateAll on " + meta.name() + ": a record has no id; read the rows first");
            }
            if (!seen.add(id)) {
                throw new InvalidInputException("updateAll on " + meta.name() + ": the row " + id + " appears twice;"
                        + " merge its changes into one record");
            }
            order.add(id);
            if (meta.tenantId() != null && record.changed(meta.tenantId())) {
                throw new TenantMismatchException("updateAll on " + meta.name() + ": tenant_id cannot change; a row stays in its tenant");
            }
            Map<Field<?>, Object> values = changedValues(record);
            if (values.isEmpty()) {
                unchanged.add(id);
                continue;
            }
            if (RowSecrets.anySet(meta, values)) {
                oneByOne.add(record); // a secret is sealed for its row: update() does that
                continue;
            }
            if (meta.version() != null) {
                Integer expected = record.original(meta.version());
                if (expected == null) {
                    throw new InvalidInputException("updateAll on " + meta.name() + ": the record of " + id + " carries no"
                            + " version; read the rows with find or get, change them, then update them");
                }
                expectedVersions.put(id, expected);
            }
            if (meta.updatedAt() != null && !record.changed(meta.updatedAt())) {
                values.put(meta.updatedAt(), now());
            }
            values.put(idField, id);
            groups.computeIfAbsent(List.copyOf(values.keySet()), k -> new ArrayList<>()).add(values);
        }
        Map<UUID, R> updated = new HashMap<>();
        for (Map.Entry<List<Field<?>>, List<Map<Field<?>, Object>>> group : groups.entrySet()) {
            for (List<Map<Field<?>, Object>> chunk : chunks(group.getValue(), group.getKey().size() + 1)) {
                for (R row : updateChunk(group.getKey(), chunk, expectedVersions)) {
                    updated.put(row.get(idField), row);
                }
            }
        }
        for (R record : oneByOne) {
            R row = update(record);
            updated.put(row.get(idField), row);
        }
        if (!unchanged.isEmpty()) {
            for (R row : rows().where(idField.in(unchanged)).and(scope()).and(visible()).fetchInto(meta.table())) {
                updated.put(row.get(idField), row);
            }
        }
        List<R> result = new ArrayList<>(order.size());
        for (UUID id : order) {
            R row = updated.get(id);
            if (row == null) {
                throw notFound(id);
            }
            result.add(row);
        }
        return RowSecrets.bindAll(meta, result, tx.secretCipher(), tx.isSystemScope());
    }

    /**
     * One {@code UPDATE ... FROM (VALUES ...)} for rows that change the same columns. If fewer rows
     * come back than were sent, some rows were written and the statement cannot be undone alone: the
     * transaction is marked to roll back, then the first failing row is named.
     */
    private List<R> updateChunk(List<Field<?>> columns, List<Map<Field<?>, Object>> chunk, Map<UUID, Integer> versions) {
        TableField<R, UUID> idField = meta.id();
        List<Field<?>> sourceColumns = new ArrayList<>(columns);
        if (meta.version() != null) {
            sourceColumns.add(meta.version());
        }
        List<RowN> rows = new ArrayList<>(chunk.size());
        for (Map<Field<?>, Object> values : chunk) {
            List<Field<?>> row = new ArrayList<>(sourceColumns.size());
            for (Field<?> column : columns) {
                row.add(typed(column, values.get(column)));
            }
            if (meta.version() != null) {
                row.add(typed(meta.version(), versions.get((UUID) values.get(idField))));
            }
            rows.add(DSL.row(row));
        }
        Name[] names = sourceColumns.stream().map(f -> DSL.name(f.getName())).toArray(Name[]::new);
        Table<?> source = DSL.values(rows.toArray(RowN[]::new)).as(DSL.name("batch"), names);
        Map<Field<?>, Object> set = new LinkedHashMap<>();
        for (Field<?> column : columns) {
            if (!column.equals(idField)) {
                set.put(column, source.field(column.getName()));
            }
        }
        Condition where = idField.eq(source.field(idField.getName(), UUID.class)).and(scope()).and(live());
        if (meta.version() != null) {
            set.put(meta.version(), meta.version().plus(1));
            where = where.and(meta.version().eq(source.field(meta.version().getName(), Integer.class)));
        }
        Result<R> written = dsl().update(meta.table()).set(set).from(source).where(where).returning().fetch();
        if (written.size() < chunk.size()) {
            tx.markRollbackOnly(BATCH_FAILED.formatted("updateAll", meta.name()));
            Set<UUID> done = new HashSet<>(written.getValues(idField));
            for (Map<Field<?>, Object> values : chunk) {
                UUID id = (UUID) values.get(idField);
                if (!done.contains(id)) {
                    if (meta.version() != null && dsl().fetchExists(meta.table(), byId(id).and(live()))) {
                        throw new StaleRecordException("updateAll on " + meta.name() + " " + id + ": the row changed since"
                                + " version " + versions.get(id) + " was read; the batch writes nothing (the transaction"
                                + " rolls back); read the rows again and reapply the changes");
                    }
                    throw new NotFoundException("updateAll on " + meta.name() + ": no live row " + id + " in "
                            + describeScope() + "; the batch writes nothing (the transaction rolls back)");
                }
            }
        }
        return written;
    }

    @Override
    public List<R> softDeleteAll(Collection<UUID> ids, String reason) {
        requireSoftDelete("softDeleteAll");
        Objects.requireNonNull(ids, "ids");
        TableField<R, UUID> idField = requireId("softDeleteAll");
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new InvalidInputException("softDeleteAll on " + meta.name() + ": give a reason of 1 to " + MAX_REASON + " characters");
        }
        List<UUID> order = new ArrayList<>(ids.size());
        Set<UUID> seen = new HashSet<>();
        for (UUID id : ids) {
            if (id == null) {
                throw new InvalidInputException("softDeleteAll on " + meta.name() + ": an id is null");
            }
            if (!seen.add(id)) {
                throw new InvalidInputException("softDeleteAll on " + meta.name() + ": the id " + id + " appears twice");
            }
            order.add(id);
        }
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(meta.deletedAt(), now());
        if (meta.deletedBy() != null) {
            values.put(meta.deletedBy(), tx.actor().userId().orElse(null));
        }
        if (meta.deleteReason() != null) {
            values.put(meta.deleteReason(), reason);
        }
        if (meta.updatedAt() != null) {
            values.put(meta.updatedAt(), now());
        }
        Map<UUID, R> deleted = new HashMap<>();
        for (List<UUID> chunk : chunks(order, 1)) {
            Result<R> written = dsl().update(meta.table()).set(values).where(idField.in(chunk)).and(scope()).and(live())
                    .returning().fetch();
            written.forEach(row -> deleted.put(row.get(idField), row));
            if (written.size() < chunk.size()) {
                tx.markRollbackOnly(BATCH_FAILED.formatted("softDeleteAll", meta.name()));
                for (UUID id : chunk) {
                    if (!deleted.containsKey(id)) {
                        if (dsl().fetchExists(meta.table(), byId(id))) {
                            throw new InvalidStateTransitionException(meta.name() + " " + id + " is already deleted;"
                                    + " softDeleteAll writes nothing (the transaction rolls back)");
                        }
                        throw new NotFoundException("softDeleteAll on " + meta.name() + ": no row " + id + " in "
                                + describeScope() + "; the batch writes nothing (the transaction rolls back)");
                    }
                }
            }
        }
        return RowSecrets.bindAll(meta, order.stream().map(deleted::get).toList(), tx.secretCipher(), tx.isSystemScope());
    }

    /** Splits rows into statements of at most BATCH_ROWS rows and about 30,000 bind values. */
    private static <T> List<List<T>> chunks(List<T> rows, int valuesPerRow) {
        int size = Math.max(1, Math.min(BATCH_ROWS, 30_000 / Math.max(1, valuesPerRow)));
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += size) {
            chunks.add(rows.subList(from, Math.min(rows.size(), from + size)));
        }
        return chunks;
    }

    /** The rows in the order of their ids (a table without an id keeps the statement's order). */
    private List<R> inOrder(Result<R> rows, List<UUID> ids) {
        if (meta.id() == null) {
            return new ArrayList<>(rows);
        }
        Map<UUID, R> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.get(meta.id()), row));
        return ids.stream().map(byId::get).toList();
    }

    @SuppressWarnings("unchecked")
    private static Field<?> value(Field<?> column, Object value) {
        return value instanceof Field<?> expression ? expression : DSL.val(value, (Field<Object>) column);
    }

    /** A bind value cast to its column's type: the types of a VALUES list come from its first row. */
    @SuppressWarnings("unchecked")
    private static Field<?> typed(Field<?> column, Object value) {
        return DSL.cast(value(column, value), (org.jooq.DataType<Object>) column.getDataType());
    }

    private String describeScope() {
        return tx.isSystemScope() ? "the system scope" : "tenant " + tx.tenantId().orElseThrow();
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
        Map<Field<?>, Object> values = changedValues(record);
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

    /**
     * The table's rows for a read: every column, except in a tenant scope on a table whose credential
     * columns the tenant pool may not read (users); those come back null.
     */
    private SelectJoinStep<Record> rows() {
        return tx.isSystemScope() || meta.tenantReadsAll()
                ? dsl().select(meta.table().fields()).from(meta.table())
                : dsl().select(meta.tenantReadable()).from(meta.table());
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

    /** The columns an update of {@code record} sets: the changed ones, except the id and what only the database writes. */
    private Map<Field<?>, Object> changedValues(R record) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        for (Field<?> field : record.fields()) {
            if (record.changed(field) && !identity(field) && !NOT_UPDATABLE.contains(field.getName())) {
                values.put(meta.table().field(field), record.get(field));
            }
        }
        return values;
    }
}
