package dev.sentinel.core.internal;

import static dev.sentinel.core.db.Tables.AUDIT_LOG;
import static dev.sentinel.core.db.Tables.SYSTEM_AUDIT_LOG;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditEvent;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.audit.AuditPage;
import dev.sentinel.core.audit.AuditTrail;
import dev.sentinel.core.db.tables.records.AuditLogRecord;
import dev.sentinel.core.db.tables.records.SystemAuditLogRecord;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The trail of one transaction's scope: the tenant's {@code audit_log}, or {@code system_audit_log}
 * in the system scope. Reads carry the explicit tenant predicate like every repository query.
 */
final class AuditTrailImpl implements AuditTrail {

    private final TxImpl tx;

    AuditTrailImpl(TxImpl tx) {
        this.tx = tx;
    }

    @Override
    public AuditEntry record(AuditEvent event) {
        if (event == null) {
            throw new InvalidInputException("record: event is null");
        }
        // The actor, seq, tx and time are the database's (column defaults from the transaction's
        // settings; the application role may not insert them), so an entry cannot be forged.
        JSONB meta = JSONB.valueOf(Json.object(event.meta()));
        if (tx.isSystemScope()) {
            SystemAuditLogRecord row = tx.dsl().insertInto(SYSTEM_AUDIT_LOG)
                    .set(SYSTEM_AUDIT_LOG.ID, Ids.next())
                    .set(SYSTEM_AUDIT_LOG.ACTION, event.action())
                    .set(SYSTEM_AUDIT_LOG.LEVEL, event.level())
                    .set(SYSTEM_AUDIT_LOG.ENTITY_TYPE, event.entityType())
                    .set(SYSTEM_AUDIT_LOG.ENTITY_ID, event.entityId())
                    .set(SYSTEM_AUDIT_LOG.MESSAGE, event.message())
                    .set(SYSTEM_AUDIT_LOG.META, meta)
                    .set(SYSTEM_AUDIT_LOG.REQUEST_ID, tx.requestId())
                    .returning()
                    .fetchOne();
            return entry(row);
        }
        AuditLogRecord row = tx.dsl().insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.TENANT_ID, tx.tenantId().orElseThrow())
                .set(AUDIT_LOG.ID, Ids.next())
                .set(AUDIT_LOG.ACTION, event.action())
                .set(AUDIT_LOG.LEVEL, event.level())
                .set(AUDIT_LOG.ENTITY_TYPE, event.entityType())
                .set(AUDIT_LOG.ENTITY_ID, event.entityId())
                .set(AUDIT_LOG.MESSAGE, event.message())
                .set(AUDIT_LOG.META, meta)
                .set(AUDIT_LOG.REQUEST_ID, tx.requestId())
                .returning()
                .fetchOne();
        return entry(row);
    }

    @Override
    public AuditPage list(AuditFilter filter, int limit) {
        return page(filter, limit, null);
    }

    @Override
    public AuditPage list(AuditFilter filter, int limit, long beforeSeq) {
        return page(filter, limit, beforeSeq);
    }

    private AuditPage page(AuditFilter filter, int limit, Long beforeSeq) {
        if (filter == null) {
            throw new InvalidInputException("list: filter is null; use AuditFilter.all()");
        }
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("list: limit " + limit + " is outside 1..1000");
        }
        List<AuditEntry> entries = new ArrayList<>();
        if (tx.isSystemScope()) {
            var t = SYSTEM_AUDIT_LOG;
            Condition where = conditions(filter, t.ENTITY_TYPE, t.ENTITY_ID, t.ACTOR_ID, t.ACTION, t.OCCURRED_AT)
                    .and(beforeSeq == null ? DSL.noCondition() : t.SEQ.lt(beforeSeq));
            Field<JSONB> diff = revealed(DSL.inline((UUID) null), t.ENTITY_TYPE, t.ENTITY_ID, t.ID, t.DIFF);
            tx.dsl().select(t.fields()).select(diff).from(t).where(where).orderBy(t.SEQ.desc()).limit(limit + 1).fetch()
                    .forEach(row -> entries.add(entry(row.into(t).setDiff(row.get(diff)))));
        } else {
            var t = AUDIT_LOG;
            Condition where = t.TENANT_ID.eq(tx.tenantId().orElseThrow())
                    .and(conditions(filter, t.ENTITY_TYPE, t.ENTITY_ID, t.ACTOR_ID, t.ACTION, t.OCCURRED_AT))
                    .and(beforeSeq == null ? DSL.noCondition() : t.SEQ.lt(beforeSeq));
            Field<JSONB> diff = revealed(t.TENANT_ID, t.ENTITY_TYPE, t.ENTITY_ID, t.ID, t.DIFF);
            tx.dsl().select(t.fields()).select(diff).from(t).where(where).orderBy(t.SEQ.desc()).limit(limit + 1).fetch()
                    .forEach(row -> entries.add(entry(row.into(t).setDiff(row.get(diff)))));
        }
        if (entries.size() > limit) {
            List<AuditEntry> page = entries.subList(0, limit);
            return new AuditPage(page, OptionalLong.of(page.getLast().seq()));
        }
        return new AuditPage(entries, OptionalLong.empty());
    }

    /**
     * The diff as a reader sees it: each salted commitment of a {@code sentinel:personal} column
     * replaced by its value from the trail's side table, or by {@code "[erased]"} once the person
     * was erased (kernel V32, {@code sentinel.audit_reveal}). A null tenant reads the system trail's.
     */
    private static Field<JSONB> revealed(Field<UUID> tenantId, Field<String> entityType, Field<UUID> entityId,
            Field<UUID> id, Field<JSONB> diff) {
        return DSL.field("sentinel.audit_reveal({0}, {1}, {2}, {3}, {4})", SQLDataType.JSONB, tenantId, entityType, entityId,
                id, diff).as("revealed_diff");
    }

    private static Condition conditions(AuditFilter filter, org.jooq.Field<String> entityType, org.jooq.Field<UUID> entityId,
            org.jooq.Field<UUID> actorId, org.jooq.Field<String> action, org.jooq.Field<java.time.OffsetDateTime> occurredAt) {
        Condition where = DSL.noCondition();
        if (filter.entityType() != null) {
            where = where.and(entityType.eq(filter.entityType()));
        }
        if (filter.entityId() != null) {
            where = where.and(entityId.eq(filter.entityId()));
        }
        if (filter.actorId() != null) {
            where = where.and(actorId.eq(filter.actorId()));
        }
        if (filter.action() != null) {
            where = where.and(action.eq(filter.action()));
        }
        if (filter.from() != null) {
            where = where.and(occurredAt.ge(filter.from().atOffset(ZoneOffset.UTC)));
        }
        if (filter.to() != null) {
            where = where.and(occurredAt.lt(filter.to().atOffset(ZoneOffset.UTC)));
        }
        return where;
    }

    private static AuditEntry entry(AuditLogRecord r) {
        return new AuditEntry(r.getId(), r.getTenantId(), r.getSeq(), r.getOccurredAt(), r.getActorType(), r.getActorId(),
                r.getActorLabel(), r.getAction(), r.getLevel(), r.getEntityType(), r.getEntityId(), r.getMessage(),
                r.getDiff() == null ? null : r.getDiff().data(), r.getMeta() == null ? null : r.getMeta().data(), r.getRequestId());
    }

    private static AuditEntry entry(SystemAuditLogRecord r) {
        return new AuditEntry(r.getId(), null, r.getSeq(), r.getOccurredAt(), r.getActorType(), r.getActorId(),
                r.getActorLabel(), r.getAction(), r.getLevel(), r.getEntityType(), r.getEntityId(), r.getMessage(),
                r.getDiff() == null ? null : r.getDiff().data(), r.getMeta() == null ? null : r.getMeta().data(), r.getRequestId());
    }
}
