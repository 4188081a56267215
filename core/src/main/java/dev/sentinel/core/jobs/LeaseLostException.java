package dev.sentinel.core.jobs;

import dev.sentinel.core.SentinelException;

/**
 * The worker no longer holds the job's lease: it lapsed and the job was rescued or claimed again,
 * or the job was cancelled or released. The operation wrote nothing; with
 * {@link Jobs#complete} inside a handler's transaction, that transaction rolls back.
 */
public class LeaseLostException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public LeaseLostException(String message) {
        super(message);
    }
}
