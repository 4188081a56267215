package dev.sentinel.core.jobs;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A worker's hold on a running job. The token is new at every claim; every fenced operation names
 * it, so only the current holder can heartbeat, complete, fail, snooze or release the job.
 *
 * @param tenantId the job's tenant
 * @param jobId the job's id
 * @param owner the worker id that claimed it
 * @param token the fencing token of this claim
 * @param expiresAt when the lease lapses unless extended (as last known to this worker)
 */
public record JobLease(UUID tenantId, UUID jobId, String owner, UUID token, OffsetDateTime expiresAt) {
}
