package dev.sentinel.bench;

import static dev.sentinel.bench.db.Tables.PLAIN_NOTES;
import static dev.sentinel.core.db.Tables.AUDIT_LOG;

import dev.sentinel.bench.db.tables.records.PlainNotesRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultConnectionProvider;

/**
 * Hand-written jOOQ on {@code plain_notes}: the same statements as Sentinel's repository, built
 * with the generated classes, and the audit row inserted by hand into {@code sentinel.audit_log}
 * after each write, with the diff built in Java. The jOOQ configuration is derived per transaction
 * from one base, as Sentinel does, without Sentinel's error translation.
 */
final class JooqNotes extends HandWrittenNotes<PlainNotesRecord> {

    private static final JSONB META = JSONB.valueOf(HandAudit.META);

    private final Configuration base = new DefaultConfiguration()
            .set(SQLDialect.POSTGRES)
            .set(new Settings().withRenderCatalog(false));

    JooqNotes(DataSource dataSource, UUID tenantId, UUID userId) {
        super(dataSource, tenantId, userId);
    }

    @Override
    public String name() {
        return "jooq";
    }

    @Override
    public Object find() {
        UUID id = nextReadId();
        return inTransaction((connection, requestId) -> dsl(connection).selectFrom(PLAIN_NOTES)
                .where(PLAIN_NOTES.ID.eq(id)).and(PLAIN_NOTES.TENANT_ID.eq(tenantId)).and(PLAIN_NOTES.DELETED_AT.isNull())
                .fetchOne());
    }

    @Override
    public Object listPage() {
        UUID after = nextPageStart();
        return inTransaction((connection, requestId) -> {
            Result<PlainNotesRecord> page = dsl(connection).selectFrom(PLAIN_NOTES)
                    .where(PLAIN_NOTES.TENANT_ID.eq(tenantId)).and(PLAIN_NOTES.DELETED_AT.isNull()).and(PLAIN_NOTES.ID.gt(after))
                    .orderBy(PLAIN_NOTES.ID)
                    .limit(PAGE_SIZE + 1)
                    .fetch();
            // The extra row only says that a next page exists.
            return page.size() > PAGE_SIZE ? List.copyOf(page.subList(0, PAGE_SIZE)) : List.copyOf(page);
        });
    }

    @Override
    PlainNotesRecord insertRow() {
        String title = nextTitle();
        return inTransaction((connection, requestId) -> insert(dsl(connection), requestId, title));
    }

    @Override
    PlainNotesRecord updateRow(PlainNotesRecord row, String title, int priority) {
        return inTransaction((connection, requestId) -> update(dsl(connection), requestId, row, title, priority));
    }

    @Override
    PlainNotesRecord softDeleteRow(PlainNotesRecord row) {
        return inTransaction((connection, requestId) -> {
            DSLContext dsl = dsl(connection);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            PlainNotesRecord deleted = dsl.update(PLAIN_NOTES)
                    .set(PLAIN_NOTES.DELETED_AT, now)
                    .set(PLAIN_NOTES.DELETED_BY, userId)
                    .set(PLAIN_NOTES.DELETE_REASON, DELETE_REASON)
                    .set(PLAIN_NOTES.UPDATED_AT, now)
                    .where(PLAIN_NOTES.ID.eq(row.getId())).and(PLAIN_NOTES.TENANT_ID.eq(tenantId)).and(PLAIN_NOTES.DELETED_AT.isNull())
                    .returning()
                    .fetchOne();
            audit(dsl, requestId, "soft_delete", require(deleted, row).getId(), HandAudit.updateDiff(row.intoMap(), deleted.intoMap()));
            return deleted;
        });
    }

    @Override
    public Object tenMutations() {
        return inTransaction((connection, requestId) -> {
            DSLContext dsl = dsl(connection);
            PlainNotesRecord last = null;
            for (int i = 0; i < 5; i++) {
                PlainNotesRecord inserted = insert(dsl, requestId, nextTitle());
                last = update(dsl, requestId, inserted, nextTitle(), nextPriority());
            }
            return last;
        });
    }

    /**
     * The hundred inserts as hand-written jOOQ batches them: one multi-row {@code INSERT ... RETURNING}
     * of the rows, then one multi-row insert of their audit rows, diffs built in Java.
     */
    @Override
    public Object hundredInserts() {
        return inTransaction((connection, requestId) -> {
            DSLContext dsl = dsl(connection);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            var insert = dsl.insertInto(PLAIN_NOTES, PLAIN_NOTES.TENANT_ID, PLAIN_NOTES.ID, PLAIN_NOTES.TITLE, PLAIN_NOTES.BODY,
                    PLAIN_NOTES.CREATED_AT, PLAIN_NOTES.UPDATED_AT);
            for (int i = 0; i < 100; i++) {
                insert = insert.values(tenantId, UUIDS.generate(), nextTitle(), BODY, now, now);
            }
            Result<PlainNotesRecord> rows = insert.returning().fetch();
            var audit = dsl.insertInto(AUDIT_LOG, AUDIT_LOG.TENANT_ID, AUDIT_LOG.ID, AUDIT_LOG.ACTION, AUDIT_LOG.ENTITY_TYPE,
                    AUDIT_LOG.ENTITY_ID, AUDIT_LOG.DIFF, AUDIT_LOG.META, AUDIT_LOG.REQUEST_ID);
            for (PlainNotesRecord row : rows) {
                audit = audit.values(tenantId, UUID.randomUUID(), "insert", HandAudit.ENTITY_TYPE, row.getId(),
                        JSONB.valueOf(HandAudit.insertDiff(row.intoMap())), META, requestId);
            }
            audit.execute();
            return rows.getLast();
        });
    }

    private PlainNotesRecord insert(DSLContext dsl, String requestId, String title) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        PlainNotesRecord inserted = dsl.insertInto(PLAIN_NOTES)
                .set(PLAIN_NOTES.TENANT_ID, tenantId)
                .set(PLAIN_NOTES.ID, UUIDS.generate())
                .set(PLAIN_NOTES.TITLE, title)
                .set(PLAIN_NOTES.BODY, BODY)
                .set(PLAIN_NOTES.CREATED_AT, now)
                .set(PLAIN_NOTES.UPDATED_AT, now)
                .returning()
                .fetchOne();
        audit(dsl, requestId, "insert", require(inserted, null).getId(), HandAudit.insertDiff(inserted.intoMap()));
        return inserted;
    }

    private PlainNotesRecord update(DSLContext dsl, String requestId, PlainNotesRecord row, String title, int priority) {
        PlainNotesRecord updated = dsl.update(PLAIN_NOTES)
                .set(PLAIN_NOTES.TITLE, title)
                .set(PLAIN_NOTES.PRIORITY, priority)
                .set(PLAIN_NOTES.UPDATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(PLAIN_NOTES.VERSION, PLAIN_NOTES.VERSION.plus(1))
                .where(PLAIN_NOTES.ID.eq(row.getId())).and(PLAIN_NOTES.TENANT_ID.eq(tenantId)).and(PLAIN_NOTES.DELETED_AT.isNull())
                .and(PLAIN_NOTES.VERSION.eq(row.getVersion()))
                .returning()
                .fetchOne();
        audit(dsl, requestId, "update", require(updated, row).getId(), HandAudit.updateDiff(row.intoMap(), updated.intoMap()));
        return updated;
    }

    private void audit(DSLContext dsl, String requestId, String action, UUID entityId, String diff) {
        dsl.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.TENANT_ID, tenantId)
                .set(AUDIT_LOG.ID, UUID.randomUUID())
                .set(AUDIT_LOG.ACTION, action)
                .set(AUDIT_LOG.ENTITY_TYPE, HandAudit.ENTITY_TYPE)
                .set(AUDIT_LOG.ENTITY_ID, entityId)
                .set(AUDIT_LOG.DIFF, JSONB.valueOf(diff))
                .set(AUDIT_LOG.META, META)
                .set(AUDIT_LOG.REQUEST_ID, requestId)
                .execute();
    }

    private static PlainNotesRecord require(PlainNotesRecord stored, PlainNotesRecord read) {
        if (stored == null) {
            throw new IllegalStateException("No live plain_notes row " + (read == null ? "" : read.getId()) + " at the version read");
        }
        return stored;
    }

    private DSLContext dsl(java.sql.Connection connection) {
        return DSL.using(base.derive(new DefaultConnectionProvider(connection)));
    }
}
