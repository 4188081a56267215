package dev.sentinel.core;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Options of one transaction: isolation level, read-only, statement timeout, retries and request
 * id. Immutable; each {@code withX} method returns a copy. The defaults are PostgreSQL's (read
 * committed, read-write, no timeout) and no retry, because a retry re-runs the caller's code.
 */
public final class TxOptions {

    private static final TxOptions DEFAULTS = new TxOptions(null, false, null, 0, null);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

    private final Isolation isolation;
    private final boolean readOnly;
    private final Duration statementTimeout;
    private final int retries;
    private final String requestId;

    private TxOptions(Isolation isolation, boolean readOnly, Duration statementTimeout, int retries, String requestId) {
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.statementTimeout = statementTimeout;
        this.retries = retries;
        this.requestId = requestId;
    }

    /**
     * The defaults: server isolation level, read-write, no timeout, no retry, a generated request id.
     *
     * @return the default options
     */
    public static TxOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets the isolation level.
     *
     * @param isolation the level
     * @return a copy with the level
     */
    public TxOptions withIsolation(Isolation isolation) {
        if (isolation == null) {
            throw new InvalidInputException("TxOptions.withIsolation: isolation is null; omit the call for the server default");
        }
        return new TxOptions(isolation, readOnly, statementTimeout, retries, requestId);
    }

    /**
     * Makes the transaction read-only ({@code SET TRANSACTION READ ONLY}): writes fail.
     *
     * @return a read-only copy
     */
    public TxOptions withReadOnly() {
        return new TxOptions(isolation, true, statementTimeout, retries, requestId);
    }

    /**
     * Cancels any statement of the transaction that runs longer than this.
     *
     * @param timeout at least one millisecond
     * @return a copy with the timeout
     * @throws InvalidInputException if the timeout is null or shorter than a millisecond
     */
    public TxOptions withStatementTimeout(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1) {
            throw new InvalidInputException("TxOptions.withStatementTimeout: " + timeout + " is not a timeout of at least 1 ms");
        }
        return new TxOptions(isolation, readOnly, timeout, retries, requestId);
    }

    /**
     * Re-runs the whole transaction, up to {@code retries} more times, when PostgreSQL aborts it
     * with a serialization failure (SQLSTATE 40001) or a deadlock (40P01). Waits between attempts
     * grow exponentially from 5 ms with full jitter. The callback must be safe to run again.
     *
     * @param retries 0 to 10
     * @return a copy with the retry budget
     * @throws InvalidInputException if {@code retries} is outside 0..10
     */
    public TxOptions withRetries(int retries) {
        if (retries < 0 || retries > 10) {
            throw new InvalidInputException("TxOptions.withRetries: " + retries + " is outside 0..10");
        }
        return new TxOptions(isolation, readOnly, statementTimeout, retries, requestId);
    }

    /**
     * Sets the request id that audit rows and the log's MDC carry; by default one is generated.
     *
     * @param requestId letters, digits and {@code . _ : / -}, 1 to 128 characters
     * @return a copy with the request id
     * @throws InvalidInputException if the id does not fit
     */
    public TxOptions withRequestId(String requestId) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new InvalidInputException("TxOptions.withRequestId: '" + requestId + "' must be 1 to 128 letters,"
                    + " digits or . _ : / -");
        }
        return new TxOptions(isolation, readOnly, statementTimeout, retries, requestId);
    }

    /**
     * The isolation level.
     *
     * @return the level, or empty for the server's default
     */
    public Optional<Isolation> isolation() {
        return Optional.ofNullable(isolation);
    }

    /**
     * Whether the transaction is read-only.
     *
     * @return {@code true} if read-only
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * The statement timeout.
     *
     * @return the timeout, or empty for none
     */
    public Optional<Duration> statementTimeout() {
        return Optional.ofNullable(statementTimeout);
    }

    /**
     * How many times the transaction is re-run after a serialization failure or deadlock.
     *
     * @return the retry budget
     */
    public int retries() {
        return retries;
    }

    /**
     * The request id.
     *
     * @return the id, or empty to have one generated
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }
}
