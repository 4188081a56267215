package dev.sentinel.core.audit;

import dev.sentinel.core.SentinelException;

/**
 * The audit chain does not verify where a checkpoint would commit to it, so Sentinel refuses to
 * sign it (or, for retention, to remove rows that are evidence). Run {@link AuditChain#verify} to
 * find the first problem.
 */
public class AuditChainBrokenException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what does not verify and what to do
     */
    public AuditChainBrokenException(String message) {
        super(message);
    }
}
