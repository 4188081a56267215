package dev.sentinel.bench;

import java.util.List;
import java.util.UUID;

/**
 * The benchmark's operations, implemented once per variant (plain JDBC, hand-written jOOQ,
 * Sentinel). Every operation is one complete transaction in the variant's tenant, with the same
 * tenant setting sent as {@code SET LOCAL} with the transaction's first statement, and every write
 * leaves one audit row per changed row: written by the variant's own code on {@code plain_notes},
 * or by Sentinel's trigger on {@code notes}. Operations are nullary so that the JMH benchmarks and
 * the round-trip counter call exactly the same code; the inputs (ids to read, rows to update or
 * delete) rotate through what {@link #readFrom}, {@link #hold} and {@link #prepareSoftDelete}
 * prepared. Not thread-safe: one instance per benchmark thread.
 */
public interface NoteOps {

    /** Page size of {@link #listPage()}. */
    int PAGE_SIZE = 50;

    /**
     * The variant's name, as in the results ({@code jdbc}, {@code jooq}, {@code sentinel}).
     *
     * @return the name
     */
    String name();

    /**
     * Sets the ids that {@link #find()} and {@link #listPage()} read, in id order; the variant
     * reads its own table, which holds rows with these ids.
     *
     * @param ids seeded ids, ascending, more than {@link #PAGE_SIZE}
     */
    void readFrom(List<UUID> ids);

    /**
     * Inserts rows (untimed) that {@link #update()} then updates in turn, keeping each row as last
     * returned, as a service keeps a record it read. Tops up to {@code rows}: calling it again
     * inserts nothing.
     *
     * @param rows how many rows to keep
     */
    void hold(int rows);

    /**
     * A transaction that sets the tenant, runs {@code select 1} and commits: the fixed cost of a
     * transaction (with no statement at all, Sentinel would send nothing).
     *
     * @return something for the blackhole
     */
    Object trivialTransaction();

    /**
     * Scenario 1: inserts one row (with its audit row) and returns it as stored.
     *
     * @return the row
     */
    Object insert();

    /**
     * Scenario 2: finds the next seeded id among the tenant's live rows.
     *
     * @return the row
     */
    Object find();

    /**
     * Scenario 3: one keyset page of {@link #PAGE_SIZE} live rows after the next seeded id, with
     * one row more fetched to know whether a next page exists.
     *
     * @return the rows
     */
    Object listPage();

    /**
     * Scenario 4: updates two columns of the next held row (optimistic locking on
     * {@code version}, {@code updated_at} set) and audits the diff.
     *
     * @return the updated row
     */
    Object update();

    /** Inserts (untimed) the row that the next {@link #softDelete()} deletes. */
    void prepareSoftDelete();

    /**
     * Scenario 5: soft-deletes the prepared row, with who and why, and audits it.
     *
     * @return the deleted row
     */
    Object softDelete();

    /**
     * Scenario 6: one transaction of ten audited mutations: five inserts, each followed by an
     * update of two columns of the row just inserted.
     *
     * @return the last row
     */
    Object tenMutations();

    /**
     * Scenario 6 written with set-at-a-time writes where the variant has them: the five inserts in one
     * batch, then the five updates in one batch.
     *
     * @return the last row
     * @throws UnsupportedOperationException if the variant has no batched form of it here
     */
    default Object tenMutationsBatched() {
        throw new UnsupportedOperationException(name() + ": no batched form of the ten mutations");
    }

    /**
     * Scenario 8: one transaction of 100 audited inserts, written as the variant batches them.
     *
     * @return the last row
     * @throws UnsupportedOperationException if the variant has no batched form of it here
     */
    default Object hundredInserts() {
        throw new UnsupportedOperationException(name() + ": no batched form of the hundred inserts");
    }
}
