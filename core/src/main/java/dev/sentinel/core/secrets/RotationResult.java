package dev.sentinel.core.secrets;

import java.util.List;

/**
 * How far a rotation of one table got: after each batch (to the progress callback) and at the end.
 *
 * @param table the table, {@code <schema>.<table>}
 * @param primaryKeyId the key the values were re-sealed under
 * @param batches batches committed so far
 * @param rotated values re-sealed under the primary key so far
 * @param failed values that did not open and were left as they were
 * @param failures the first {@value #MAX_FAILURES_LISTED} of those, in row order
 */
public record RotationResult(String table, String primaryKeyId, int batches, long rotated, long failed,
        List<RotationFailure> failures) {

    /** How many failures a result lists at most; {@link #failed()} counts them all. */
    public static final int MAX_FAILURES_LISTED = 100;

    /** Copies the list. */
    public RotationResult {
        failures = List.copyOf(failures);
    }
}
