package dev.sentinel.core.jobs;

/** The states of a job, stored as text in {@code sentinel.jobs.state}. */
public enum JobState {
    /** Waiting for its {@code run_at}, then for a worker. */
    QUEUED,
    /** Claimed by a worker, which holds its lease. */
    RUNNING,
    /** Done; the result is kept. */
    SUCCEEDED,
    /** Dead: failed on its last allowed attempt (or its lease lapsed then). Kept, listable, and retryable by hand. */
    FAILED,
    /** Cancelled before it finished. */
    CANCELLED;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The state for a stored value.
     *
     * @param sql the lower-case name
     * @return the state
     * @throws IllegalArgumentException for an unknown value
     */
    public static JobState fromSql(String sql) {
        return valueOf(sql.toUpperCase(java.util.Locale.ROOT));
    }
}
