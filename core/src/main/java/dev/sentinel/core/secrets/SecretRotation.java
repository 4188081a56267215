package dev.sentinel.core.secrets;

import java.util.function.Consumer;
import org.jooq.Table;
import org.jooq.TableRecord;

/**
 * Re-seals the secret columns of a table under the primary key of the configured
 * {@link SecretKeys}, from {@code sentinel.secretRotation()}. The procedure, without downtime:
 *
 * <ol>
 *   <li>Deploy with the new key as primary and the old one as an older key:
 *       {@code SecretKeys.of(k2, k1)}. New values are sealed under k2; values under k1 still open.</li>
 *   <li>Run {@link #rotate} for every table with secret columns, the kernel's ({@code USERS}), the modules'
 *       (such as the agency module's) and the service's own. Each batch is a transaction of its own in the
 *       system scope (audited as {@code service:sentinel-secrets}), locks only its rows, and
 *       re-seals values not yet under the primary key, so reads and writes go on meanwhile, and a
 *       rotation that stops (a crash, a deployment, an exception) resumes where it stopped when run
 *       again.</li>
 *   <li>When {@link #pending} is 0 for every table, deploy without the old key.</li>
 * </ol>
 *
 * <p>Thread-safe; rotating one table from two threads at once is safe but wasteful.
 */
public interface SecretRotation {

    /** The batch size of {@link #rotate(Table)}. */
    int DEFAULT_BATCH_SIZE = 500;

    /**
     * Rotates a table in batches of {@value #DEFAULT_BATCH_SIZE} rows.
     *
     * @param table a generated table with {@code sentinel:secret} columns, e.g. {@code Tables.USERS}
     * @return what was done
     * @throws SecretKeyException if a value is sealed under a key id the key ring does not hold:
     *     the batches before it stay committed; add the key and run again
     * @throws dev.sentinel.core.InvalidInputException if the table has no secret columns
     */
    RotationResult rotate(Table<? extends TableRecord<?>> table);

    /**
     * Rotates a table, calling back after each committed batch (to report progress, or to pause
     * between batches to spare the database).
     *
     * @param table a generated table with {@code sentinel:secret} columns
     * @param batchSize rows per transaction, 1 to 10,000
     * @param afterEachBatch called on this thread after each batch commits, with the totals so far;
     *     an exception from it stops the rotation (the committed batches stay)
     * @return what was done
     * @throws SecretKeyException if a value is sealed under a key id the key ring does not hold
     * @throws dev.sentinel.core.InvalidInputException if the table has no secret columns or the
     *     batch size is out of range
     */
    RotationResult rotate(Table<? extends TableRecord<?>> table, int batchSize, Consumer<RotationResult> afterEachBatch);

    /**
     * Counts the stored values of a table not sealed under the primary key, across tenants: 0 for
     * every table means the older keys can be dropped.
     *
     * @param table a generated table with {@code sentinel:secret} columns
     * @return values (not rows) still under another key, or that did not open during rotation
     */
    long pending(Table<? extends TableRecord<?>> table);
}
