package dev.sentinel.core.jobs;

import dev.sentinel.core.db.enums.JobState;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job as stored: a snapshot, immutable.
 *
 * @param tenantId the tenant the job runs for
 * @param id the job's id
 * @param queue the queue
 * @param type the job type, such as {@code orders.send_reminder}
 * @param state the state
 * @param priority higher runs first, -1000 to 1000
 * @param payload the input, a JSON object as text
 * @param result the output of a succeeded job as JSON text, or {@code null}
 * @param lastError the error of the last failed attempt, or {@code null}
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed
 * @param runAt earliest time the job may be claimed
 * @param leaseOwner the worker holding the job while running, or {@code null}
 * @param leaseExpiresAt when the lease lapses, or {@code null}
 * @param dedupeKey the caller's deduplication key, or {@code null}
 * @param createdAt when the job was enqueued
 * @param finishedAt when it succeeded, failed for good or was cancelled, or {@code null}
 * @param traceparent the W3C {@code traceparent} of the transaction that enqueued the job, or
 *     {@code null}; workers put it in the MDC (key {@code traceparent}) while its handler runs
 */
public record Job(UUID tenantId, UUID id, String queue, String type, JobState state, int priority, String payload,
        String result, String lastError, int attempts, int maxAttempts, OffsetDateTime runAt, String leaseOwner,
        OffsetDateTime leaseExpiresAt, String dedupeKey, OffsetDateTime createdAt, OffsetDateTime finishedAt,
        String traceparent) {
}
