package dev.sentinel.core;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.TableField;
import org.jooq.TableRecord;

/**
 * Reads and writes one table inside one transaction, with the rules every caller would otherwise
 * write by hand: every query carries the explicit {@code tenant_id} predicate of the scope (the
 * planner uses the tenant-first indexes; row-level security is the backstop), soft-deleted rows are
 * hidden unless asked for, ids are UUIDv7 generated in Java, {@code created_at}/{@code updated_at}
 * come from the service's {@code Clock}, and {@code version} columns get optimistic locking.
 *
 * <p>Obtained from {@link Tx#table}; valid only inside its transaction. Not thread-safe.
 *
 * @param <R> the record type
 */
public interface Repository<R extends TableRecord<R>> {

    /** The most rows that one statement of {@link #insertAll}, {@link #updateAll} or {@link #softDeleteAll} writes. */
    int BATCH_ROWS = 500;

    /**
     * The row with this id, if the scope can see it. Another tenant's id gives empty, exactly like
     * an id that does not exist, so the existence of other tenants' rows does not leak.
     *
     * @param id the row's id
     * @return the row, or empty
     */
    Optional<R> find(UUID id);

    /**
     * The row with this id.
     *
     * @param id the row's id
     * @return the row
     * @throws NotFoundException if the scope cannot see such a row
     */
    R get(UUID id);

    /**
     * A page of rows matching a condition, in id order.
     *
     * @param condition a jOOQ condition on this table's columns; {@code DSL.noCondition()} for all
     * @param page which page
     * @return the page, with the next page's request if more rows exist
     */
    Page<R> list(Condition condition, PageRequest page);

    /**
     * Counts the rows matching a condition.
     *
     * @param condition a jOOQ condition; {@code DSL.noCondition()} for all
     * @return the number of visible rows
     */
    long count(Condition condition);

    /**
     * Inserts a row from the record's changed fields. {@code tenant_id} is filled from the scope
     * (in the system scope it must be set), a null {@code id} gets a UUIDv7, and null timestamps
     * are set from the clock.
     *
     * @param record a new record, e.g. {@code new WidgetsRecord().setName("x")}
     * @return the stored row, as PostgreSQL returned it (defaults filled in)
     * @throws TenantMismatchException if the record names another tenant
     * @throws MissingScopeException if a tenant table is written in the system scope without a tenant
     * @throws InvalidInputException if the record is soft-deleted already
     * @throws UniqueViolationException naming the constraint, if a unique value is taken
     */
    R insert(R record);

    /**
     * Updates the record's changed fields on the live row with its id. With a {@code version}
     * column the update succeeds only if the version is still the one read, and increments it.
     *
     * @param record a record read from this repository and then changed
     * @return the updated row
     * @throws NotFoundException if no such live row is visible
     * @throws StaleRecordException if another transaction updated the row since it was read
     * @throws TenantMismatchException if the record's {@code tenant_id} was changed
     */
    R update(R record);

    /**
     * Inserts rows set-at-a-time: one multi-row {@code INSERT ... RETURNING} per up to
     * {@value #BATCH_ROWS} rows, so N inserts cost about N / {@value #BATCH_ROWS} round trips instead
     * of N. Each record is prepared exactly as {@link #insert} prepares it (tenant, id, timestamps,
     * secrets sealed), and the audit trigger writes the same audit row for each as for a single insert.
     * Every record is checked before anything is sent; a row the database refuses (a unique value
     * taken, a check) fails the statement, so a failed batch writes nothing.
     *
     * @param records new records; an empty collection writes nothing
     * @return the stored rows, in the order of {@code records}
     * @throws TenantMismatchException if a record names another tenant
     * @throws InvalidInputException if a record is null or soft-deleted already
     * @throws UniqueViolationException naming the constraint, if a unique value is taken
     */
    List<R> insertAll(Collection<R> records);

    /**
     * Updates rows set-at-a-time: records that change the same columns are written by one
     * {@code UPDATE ... FROM (VALUES ...) RETURNING} per up to {@value #BATCH_ROWS} rows, with the
     * optimistic-locking check of {@link #update} for each row. Records that set a secret column are
     * updated one by one (each value is sealed for its row). If any row is missing, deleted or
     * stale, the batch throws and the transaction is rolled back when it ends, even if the exception
     * is caught: a failed batch writes nothing.
     *
     * @param records records read from this repository and then changed; no id twice
     * @return the updated rows, in the order of {@code records}
     * @throws NotFoundException if a row is not visible or not live
     * @throws StaleRecordException if another transaction updated a row since it was read
     * @throws TenantMismatchException if a record's {@code tenant_id} was changed
     * @throws InvalidInputException if a record is null, has no id or version, or an id appears twice
     */
    List<R> updateAll(Collection<R> records);

    /**
     * Soft-deletes rows set-at-a-time, one {@code UPDATE ... RETURNING} per up to
     * {@value #BATCH_ROWS} ids, with the same who, why and audit row as {@link #softDelete}. If any
     * row is missing or already deleted, the batch throws and the transaction is rolled back when it
     * ends, even if the exception is caught.
     *
     * @param ids the rows' ids; no id twice
     * @param reason why, 1 to 1000 characters
     * @return the deleted rows, in the order of {@code ids}
     * @throws NotFoundException if a row is not visible
     * @throws InvalidStateTransitionException if a row is already deleted
     * @throws InvalidInputException if an id is null or appears twice, or the reason is empty or too long
     */
    List<R> softDeleteAll(Collection<UUID> ids, String reason);

    /**
     * Inserts the record, or, if a live row already has the same values in {@code conflictColumns},
     * updates that row with the record's changed fields. The conflict target is {@code tenant_id}
     * (for tenant tables) plus the given columns, with the predicate {@code deleted_at is null} for
     * soft-delete tables, so it matches a partial unique index among live rows.
     *
     * @param record the new values
     * @param conflictColumns the unique key's columns, without {@code tenant_id}
     * @return the inserted or updated row
     * @throws InvalidInputException if no unique index matches the conflict target
     */
    @SuppressWarnings("unchecked")
    R upsert(R record, TableField<R, ?>... conflictColumns);

    /**
     * Marks a live row deleted, with who and why. The row stays, hidden from default reads.
     * Soft deletes do not cascade to child rows.
     *
     * @param id the row's id
     * @param reason why, 1 to 1000 characters
     * @return the deleted row
     * @throws NotFoundException if no such row is visible
     * @throws InvalidStateTransitionException if the row is already deleted
     */
    R softDelete(UUID id, String reason);

    /**
     * Brings a soft-deleted row back.
     *
     * @param id the row's id
     * @return the restored row
     * @throws NotFoundException if no such row is visible
     * @throws InvalidStateTransitionException if the row is not deleted
     * @throws UniqueViolationException if a live row has taken one of its unique values meanwhile
     */
    R restore(UUID id);

    /**
     * Deletes a row for good (live or soft-deleted). Only in the system scope, and a user actor
     * needs the permission {@code data:purge} through a global role.
     *
     * @param id the row's id
     * @throws PermissionDeniedException outside the system scope, or without {@code data:purge}
     * @throws NotFoundException if no such row exists
     */
    void purge(UUID id);

    /**
     * A view of this repository whose reads include soft-deleted rows.
     *
     * @return the view
     */
    Repository<R> withDeleted();

    /**
     * A view of this repository whose reads return only soft-deleted rows.
     *
     * @return the view
     */
    Repository<R> onlyDeleted();
}
