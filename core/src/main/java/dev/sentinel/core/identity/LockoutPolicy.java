package dev.sentinel.core.identity;

import java.time.Duration;

/**
 * When failed sign-ins lock an address: {@code maxFailures} failures within {@code window} lock it
 * for {@code lockFor}. Configured on the {@link dev.sentinel.core.Sentinel.Builder#lockoutPolicy builder}. Immutable.
 *
 * @param maxFailures failures that trigger a lockout, at least 1
 * @param window how far back failures count
 * @param lockFor how long the lockout lasts
 */
public record LockoutPolicy(int maxFailures, Duration window, Duration lockFor) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a non-positive count or duration
     */
    public LockoutPolicy {
        if (maxFailures < 1 || window == null || window.isNegative() || window.isZero()
                || lockFor == null || lockFor.isNegative() || lockFor.isZero()) {
            throw new IllegalArgumentException("LockoutPolicy: maxFailures must be at least 1 and window and lockFor positive;"
                    + " got " + maxFailures + ", " + window + ", " + lockFor);
        }
    }

    /**
     * The default: 5 failures within 15 minutes lock the address for 15 minutes (OWASP's
     * suggested order of magnitude).
     *
     * @return the policy
     */
    public static LockoutPolicy defaults() {
        return new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(15));
    }
}
