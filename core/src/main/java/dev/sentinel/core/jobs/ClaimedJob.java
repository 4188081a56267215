package dev.sentinel.core.jobs;

import dev.sentinel.core.db.enums.JobState;

/**
 * A job claimed by a worker, with its lease.
 *
 * @param job the job as claimed (state {@link JobState#RUNNING}, attempts already counting this one)
 * @param lease the lease to pass to the fenced operations
 */
public record ClaimedJob(Job job, JobLease lease) {
}
