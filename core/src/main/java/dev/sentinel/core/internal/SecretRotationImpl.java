package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.secrets.RotationFailure;
import dev.sentinel.core.secrets.RotationResult;
import dev.sentinel.core.secrets.Secret;
import dev.sentinel.core.secrets.SecretIntegrityException;
import dev.sentinel.core.secrets.SecretRotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SecretRotation}: keyset batches over {@code (tenant_id, id)} (or {@code id} for a global
 * table) of the rows with a value not under the primary key, each batch one system-scope
 * transaction that locks its rows ({@code FOR UPDATE}), opens each value with its key and seals it
 * again for the same row under the primary key. Which rows are left is the stored key id itself,
 * so a rotation needs no bookkeeping to resume. Thread-safe.
 */
public final class SecretRotationImpl implements SecretRotation {

    /** The actor rotations run as; their audit rows name it. */
    public static final Actor ACTOR = Actor.service("sentinel-secrets");

    private static final Logger LOG = LoggerFactory.getLogger(SecretRotationImpl.class);
    private static final int MAX_BATCH = 10_000;

    private final Scope system;
    private final SecretCipher cipher;

    /**
     * Creates the rotation.
     *
     * @param system the system scope, as {@link #ACTOR}
     * @param cipher the Sentinel's cipher
     */
    public SecretRotationImpl(Scope system, SecretCipher cipher) {
        this.system = system;
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    @Override
    public RotationResult rotate(Table<? extends TableRecord<?>> table) {
        return rotate(table, DEFAULT_BATCH_SIZE, progress -> { });
    }

    @Override
    public RotationResult rotate(Table<? extends TableRecord<?>> table, int batchSize, Consumer<RotationResult> afterEachBatch) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new InvalidInputException("rotate: the batch size " + batchSize + " is outside 1.." + MAX_BATCH);
        }
        Objects.requireNonNull(afterEachBatch, "afterEachBatch");
        return run(meta(table), batchSize, afterEachBatch);
    }

    @Override
    public long pending(Table<? extends TableRecord<?>> table) {
        TableMeta<?> meta = meta(table);
        List<SelectField<?>> counts = new ArrayList<>();
        for (TableField<?, Secret> column : meta.secrets()) {
            counts.add(DSL.count().filterWhere(pending(column)));
        }
        return system.inTransaction(tx -> {
            Record row = tx.dsl().select(counts).from(meta.table()).where(pendingCondition(meta)).fetchOne();
            long values = 0;
            for (int i = 0; i < counts.size(); i++) {
                values += row.get(i, Long.class);
            }
            return values;
        });
    }

    private <R extends TableRecord<R>> RotationResult run(TableMeta<R> meta, int batchSize, Consumer<RotationResult> afterEachBatch) {
        List<RotationFailure> failures = new ArrayList<>();
        long rotated = 0;
        long failed = 0;
        int batches = 0;
        R cursor = null;
        while (true) {
            R after = cursor;
            Batch<R> batch = system.inTransaction(tx -> batch(tx.dsl(), meta, after, batchSize));
            if (batch.rows() == 0) {
                break;
            }
            batches++;
            rotated += batch.rotated();
            failed += batch.failures().size();
            for (RotationFailure failure : batch.failures()) {
                if (failures.size() < RotationResult.MAX_FAILURES_LISTED) {
                    failures.add(failure);
                }
            }
            cursor = batch.last();
            RotationResult progress = new RotationResult(meta.qualifiedName(), cipher.primaryKeyId(), batches, rotated, failed, failures);
            LOG.debug("Secret rotation of {}: batch {} done, {} values re-sealed so far", meta.qualifiedName(), batches, rotated);
            afterEachBatch.accept(progress);
            if (batch.rows() < batchSize) {
                break;
            }
        }
        if (failed > 0) {
            LOG.warn("Secret rotation of {}: {} values did not open and stay under their old key (see RotationResult.failures)",
                    meta.qualifiedName(), failed);
        }
        LOG.info("Secret rotation of {}: {} values re-sealed under key {} in {} batches", meta.qualifiedName(), rotated,
                cipher.primaryKeyId(), batches);
        return new RotationResult(meta.qualifiedName(), cipher.primaryKeyId(), batches, rotated, failed, failures);
    }

    private record Batch<R>(int rows, long rotated, List<RotationFailure> failures, R last) {
    }

    private <R extends TableRecord<R>> Batch<R> batch(DSLContext dsl, TableMeta<R> meta, R after, int size) {
        SecretAccess.Hooks hooks = SecretAccess.hooks();
        Condition where = pendingCondition(meta);
        if (after != null) {
            where = where.and(meta.tenantId() == null
                    ? meta.id().gt(after.get(meta.id()))
                    : DSL.row(meta.tenantId(), meta.id()).gt(after.get(meta.tenantId()), after.get(meta.id())));
        }
        List<Field<?>> order = meta.tenantId() == null ? List.of(meta.id()) : List.of(meta.tenantId(), meta.id());
        Result<R> rows = dsl.selectFrom(meta.table()).where(where).orderBy(order).limit(size).forUpdate().fetch();
        List<Query> updates = new ArrayList<>();
        List<RotationFailure> failures = new ArrayList<>();
        long rotated = 0;
        for (R row : rows) {
            UUID tenantId = meta.tenantId() == null ? null : row.get(meta.tenantId());
            UUID rowId = row.get(meta.id());
            Map<Field<?>, Object> values = new LinkedHashMap<>();
            for (TableField<R, Secret> column : meta.secrets()) {
                Secret secret = row.get(column);
                String stored = secret == null ? null : hooks.ciphertext(secret);
                if (stored == null || cipher.isCurrent(stored)) {
                    continue;
                }
                SecretSlot slot = RowSecrets.slot(meta, column, tenantId, rowId);
                try {
                    values.put(column, hooks.sealed(cipher.seal(cipher.open(stored, slot), slot), null));
                } catch (SecretIntegrityException e) {
                    failures.add(new RotationFailure(tenantId, rowId, column.getName(), e.getMessage()));
                }
            }
            if (!values.isEmpty()) {
                Condition thisRow = meta.id().eq(rowId);
                if (meta.tenantId() != null) {
                    thisRow = meta.tenantId().eq(tenantId).and(thisRow);
                }
                updates.add(dsl.update(meta.table()).set(values).where(thisRow));
                rotated += values.size();
            }
        }
        if (!updates.isEmpty()) {
            dsl.batch(updates).execute();
        }
        return new Batch<>(rows.size(), rotated, failures, rows.isEmpty() ? null : rows.get(rows.size() - 1));
    }

    /** Rows with a value in any secret column that is not sealed under the primary key. */
    private Condition pendingCondition(TableMeta<?> meta) {
        Condition pending = DSL.falseCondition();
        for (TableField<?, Secret> column : meta.secrets()) {
            pending = pending.or(pending(column));
        }
        return pending;
    }

    /** A value in this column that is not sealed under the primary key. */
    private Condition pending(TableField<?, Secret> column) {
        // starts_with, not LIKE: a key id may contain _, which LIKE reads as a wildcard.
        return column.isNotNull().and(DSL.not(DSL.condition("starts_with({0}, {1})", column, DSL.val(cipher.currentPrefix()))));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TableMeta meta(Table<? extends TableRecord<?>> table) {
        Objects.requireNonNull(table, "table");
        TableMeta meta = TableMeta.of((Table) table);
        meta.requireSealable();
        if (!meta.hasSecrets()) {
            throw new InvalidInputException("rotate: " + table.getName() + " has no sentinel:secret columns; nothing to"
                    + " re-seal. Pass a table whose generated fields are typed Secret");
        }
        return meta;
    }
}
