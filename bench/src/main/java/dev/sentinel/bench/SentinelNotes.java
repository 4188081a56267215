package dev.sentinel.bench;

import dev.sentinel.core.Actor;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

/**
 * Sentinel's generic repository, as a service would use it: one scope per tenant and actor,
 * {@code tx.table(T)} for every call, audit rows written by the database trigger (none by this
 * code). Generic over the table so that the same code path writes {@code notes} (audited) and
 * {@code plain_notes} (no trigger), which measures what the trigger costs.
 *
 * @param <R> the record type of the table
 */
final class SentinelNotes<R extends TableRecord<R>> extends AbstractNotes<R> {

    private final String name;
    private final Scope scope;
    private final Table<R> table;
    private final Supplier<R> newRecord;
    private final Field<UUID> id;
    private final Field<String> title;
    private final Field<String> body;
    private final Field<Integer> priority;

    SentinelNotes(String name, Sentinel sentinel, UUID tenantId, Actor actor, Table<R> table, Supplier<R> newRecord) {
        this.name = name;
        this.scope = sentinel.tenant(tenantId, actor);
        this.table = table;
        this.newRecord = newRecord;
        this.id = require(table.field("id", UUID.class), "id");
        this.title = require(table.field("title", String.class), "title");
        this.body = require(table.field("body", String.class), "body");
        this.priority = require(table.field("priority", Integer.class), "priority");
    }

    private <T> Field<T> require(Field<T> field, String column) {
        if (field == null) {
            throw new IllegalArgumentException(table.getName() + " has no column " + column);
        }
        return field;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object trivialTransaction() {
        return scope.inTransaction(tx -> tx.dsl().selectOne().fetchOne(0));
    }

    @Override
    public Object find() {
        UUID rowId = nextReadId();
        return scope.inTransaction(tx -> tx.table(table).find(rowId));
    }

    @Override
    public Object listPage() {
        UUID after = nextPageStart();
        return scope.inTransaction(tx -> tx.table(table).list(DSL.noCondition(), new PageRequest(after, PAGE_SIZE)));
    }

    @Override
    R insertRow() {
        String newTitle = nextTitle();
        return scope.inTransaction(tx -> insert(tx.table(table), newTitle));
    }

    @Override
    R updateRow(R row, String newTitle, int newPriority) {
        return scope.inTransaction(tx -> update(tx.table(table), row, newTitle, newPriority));
    }

    @Override
    R softDeleteRow(R row) {
        UUID rowId = row.get(id);
        return scope.inTransaction(tx -> tx.table(table).softDelete(rowId, DELETE_REASON));
    }

    @Override
    public Object tenMutations() {
        return scope.inTransaction(tx -> {
            Repository<R> notes = tx.table(table);
            R last = null;
            for (int i = 0; i < 5; i++) {
                R inserted = insert(notes, nextTitle());
                last = update(notes, inserted, nextTitle(), nextPriority());
            }
            return last;
        });
    }

    @Override
    public Object tenMutationsBatched() {
        return scope.inTransaction(tx -> {
            Repository<R> notes = tx.table(table);
            List<R> records = new ArrayList<>(5);
            for (int i = 0; i < 5; i++) {
                R record = newRecord.get();
                record.set(title, nextTitle());
                record.set(body, BODY);
                records.add(record);
            }
            List<R> inserted = notes.insertAll(records);
            for (R row : inserted) {
                row.set(title, nextTitle());
                row.set(priority, nextPriority());
            }
            return notes.updateAll(inserted).getLast();
        });
    }

    @Override
    public Object hundredInserts() {
        return scope.inTransaction(tx -> {
            List<R> records = new ArrayList<>(100);
            for (int i = 0; i < 100; i++) {
                R record = newRecord.get();
                record.set(title, nextTitle());
                record.set(body, BODY);
                records.add(record);
            }
            return tx.table(table).insertAll(records).getLast();
        });
    }

    private R insert(Repository<R> notes, String newTitle) {
        R record = newRecord.get();
        record.set(title, newTitle);
        record.set(body, BODY);
        return notes.insert(record);
    }

    private R update(Repository<R> notes, R row, String newTitle, int newPriority) {
        row.set(title, newTitle);
        row.set(priority, newPriority);
        return notes.update(row);
    }
}
