package dev.sentinel.core.identity;

import java.util.Locale;

/** Why a sign-in failed; stored as text in {@code sentinel.auth_attempts.failure_reason}. */
public enum SignInFailure {
    /** No user has the address. */
    UNKNOWN_USER,
    /** The password did not match. */
    BAD_PASSWORD,
    /** The second factor did not match. */
    BAD_SECOND_FACTOR,
    /** The address was locked. */
    LOCKED,
    /** The user is disabled. */
    DISABLED;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }
}
