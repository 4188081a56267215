package dev.sentinel.core.jobs;

import dev.sentinel.core.db.enums.JobState;
import java.time.Duration;
import java.util.Map;

/**
 * Counts for metrics, across tenants, from {@link JobQueue#stats()}.
 *
 * @param counts per queue, the number of jobs in each state that has any
 * @param oldestDueAge per queue with queued due jobs, how long the oldest has been due
 */
public record JobStats(Map<String, Map<JobState, Long>> counts, Map<String, Duration> oldestDueAge) {

    /**
     * Copies the maps.
     */
    public JobStats {
        counts = Map.copyOf(counts);
        oldestDueAge = Map.copyOf(oldestDueAge);
    }

    /**
     * The number of jobs of a queue in a state.
     *
     * @param queue the queue
     * @param state the state
     * @return the count, 0 if none
     */
    public long count(String queue, JobState state) {
        return counts.getOrDefault(queue, Map.of()).getOrDefault(state, 0L);
    }
}
