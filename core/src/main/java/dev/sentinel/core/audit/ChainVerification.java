package dev.sentinel.core.audit;

import java.util.Optional;
import java.util.UUID;

/**
 * The outcome of verifying a tenant's audit chain: intact, or the first place where the audit
 * rows and the sealed chain disagree.
 *
 * @param tenantId the tenant
 * @param verifiedLinks how many links verified before the first problem (all of them when intact)
 * @param problem the first problem, or {@code null} when the chain is intact
 */
public record ChainVerification(UUID tenantId, long verifiedLinks, Problem problem) {

    /** What kind of tampering a problem shows. */
    public enum Kind {
        /** A sealed audit row's content no longer matches its link (or the link was recomputed without the key). */
        EDITED,
        /** A sealed audit row is gone. */
        DELETED,
        /** An audit row sits inside the sealed range but was never sealed: inserted after the fact. */
        INSERTED,
        /** The chain is shorter than, or diverges from, an exported anchor: its newest part was cut or replaced. */
        TRUNCATED,
        /**
         * An audit row names a transaction that had not started (a forged {@code tx}), so the sealer
         * would never seal it; the database refuses such rows from the application role, so this shows
         * a write by a role that bypassed that.
         */
        UNSEALABLE,
        /**
         * A signed checkpoint does not verify: its signature is wrong, or it names a key this
         * service does not hold, so rows removed before it, or the chain it commits to, cannot be vouched for.
         */
        CHECKPOINT
    }

    /**
     * One problem.
     *
     * @param kind what happened
     * @param position the chain position (1-based) where it shows
     * @param auditId the audit row concerned, if known
     * @param message a sentence for people
     */
    public record Problem(Kind kind, long position, UUID auditId, String message) {
    }

    /**
     * Whether the chain is intact.
     *
     * @return {@code true} if no problem was found
     */
    public boolean intact() {
        return problem == null;
    }

    /**
     * The first problem.
     *
     * @return the problem, or empty when intact
     */
    public Optional<Problem> firstProblem() {
        return Optional.ofNullable(problem);
    }
}
