package dev.sentinel.core;

import java.util.List;

/**
 * What {@link Sentinel#health()} found about the runtime role and its sessions. Immutable;
 * thread-safe.
 *
 * @param problems settings to remove or fix, each sentence saying how (an unsafe runtime role, a
 *     per-role or per-database default that would reach the role's sessions); empty when healthy
 * @param limits what PostgreSQL cannot refuse the runtime role and that applies to this
 *     deployment (see the threat model in docs/concepts.md), each with the mitigation
 * @param skippedSeals how many times the audit sealer found a tenant's chain lock held by another
 *     session and sealed nothing, since this Sentinel started
 */
public record Health(List<String> problems, List<String> limits, long skippedSeals) {

    /**
     * Copies the lists.
     *
     * @param problems settings to remove or fix
     * @param limits what PostgreSQL cannot refuse, with the mitigation
     * @param skippedSeals skipped seals
     */
    public Health {
        problems = List.copyOf(problems);
        limits = List.copyOf(limits);
    }

    /**
     * Whether there is nothing to fix. Limits and skipped seals do not count: they are reported,
     * not failed on.
     *
     * @return {@code true} if {@link #problems()} is empty
     */
    public boolean healthy() {
        return problems.isEmpty();
    }
}
