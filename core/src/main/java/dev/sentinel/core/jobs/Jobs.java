package dev.sentinel.core.jobs;

import dev.sentinel.core.db.enums.JobState;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The jobs of the current tenant, from {@code tx.jobs()}: every call runs in the caller's
 * transaction and commits or rolls back with it. Tenant scope only: in the system scope every
 * method throws {@link dev.sentinel.core.MissingScopeException} (open a scope of the job's tenant).
 * Valid only inside its transaction; not thread-safe.
 *
 * <p>Cancelling and retrying by hand need {@code job:manage} when the actor is a user; enqueueing
 * and reading need no permission.
 */
public interface Jobs {

    /**
     * Enqueues a job in this transaction: it becomes visible to workers when the transaction
     * commits, and never exists if it rolls back. With a dedupe key, if a queued or running job of
     * this tenant with the same type and key exists, nothing is inserted and that job is returned
     * with {@code duplicate = true} ({@code INSERT ... ON CONFLICT DO NOTHING} on the partial unique
     * index, then a read).
     *
     * @param type the job type: lower-case words joined by dots, such as {@code orders.send_reminder}
     * @param payloadJson the input, a JSON object as text
     * @param options queue, priority, run-at, attempts, dedupe key
     * @return the job and whether it was a duplicate
     * @throws dev.sentinel.core.InvalidInputException if the type is malformed or the payload is not a JSON object; nothing is written
     */
    Enqueued enqueue(String type, String payloadJson, JobOptions options);

    /**
     * Enqueues with {@link JobOptions#defaults()}.
     *
     * @param type the job type
     * @param payloadJson the input, a JSON object as text
     * @return the job and whether it was a duplicate
     */
    Enqueued enqueue(String type, String payloadJson);

    /**
     * Enqueues a payload object, written as JSON by {@code serializer}; otherwise as
     * {@link #enqueue(String, String, JobOptions)}.
     *
     * @param type the job type
     * @param payload the input, an object the serializer writes as a JSON object
     * @param serializer the serializer, such as {@link JobSerializer#jackson()}
     * @param options queue, priority, run-at, attempts, dedupe key
     * @return the job and whether it was a duplicate
     * @throws dev.sentinel.core.InvalidInputException if the type is malformed or the payload is not written as a JSON object
     */
    Enqueued enqueue(String type, Object payload, JobSerializer serializer, JobOptions options);

    /**
     * Enqueues many jobs in one statement (one round trip however many), in this transaction, with
     * the rules of {@link #enqueue(String, String, JobOptions)}: a job whose dedupe key matches a
     * queued or running job of this tenant and type (or an earlier job of the same list) inserts
     * nothing and gives back that job with {@code duplicate = true}.
     *
     * @param jobs the jobs, at most 10,000
     * @return what became of each job, in the order given
     * @throws dev.sentinel.core.InvalidInputException if any job's type or payload is malformed; nothing is written
     */
    List<Enqueued> enqueueAll(List<NewJob> jobs);

    /**
     * Stores a recurring job of this tenant, or replaces the one with the same name: from its next
     * tick on, a job of its type is enqueued at every tick, by whichever running {@link JobWorkers}
     * pool finds it due first, once across all of them. Replacing a schedule with the same timing
     * (cron, zone, interval) keeps its next tick, so a service can store its schedules at every
     * start; a new timing starts from now. Recorded as {@code jobs.schedule} in the audit trail.
     *
     * @param schedule the schedule
     * @return the next tick
     * @throws dev.sentinel.core.InvalidInputException if the job type is malformed
     * @throws dev.sentinel.core.PermissionDeniedException if a user actor lacks {@code job:manage}
     */
    java.time.Instant schedule(JobSchedule schedule);

    /**
     * Removes a recurring job of this tenant; jobs it already enqueued stay. Recorded as
     * {@code jobs.unschedule} when there was one.
     *
     * @param name the schedule's name
     * @return whether there was such a schedule
     * @throws dev.sentinel.core.PermissionDeniedException if a user actor lacks {@code job:manage}
     */
    boolean unschedule(String name);

    /**
     * Reads a job of this tenant.
     *
     * @param jobId the id
     * @return the job, or empty if this tenant has none with that id
     */
    Optional<Job> get(UUID jobId);

    /**
     * Lists this tenant's jobs in a state, oldest first: {@code list(JobState.FAILED, 100)} is the
     * dead-letter list.
     *
     * @param state the state
     * @param limit 1 to 1000
     * @return the jobs
     */
    List<Job> list(JobState state, int limit);

    /**
     * Cancels a queued or running job, and records {@code jobs.cancel} in the tenant's audit
     * trail. A running job's lease is dropped, so its worker's completion is refused.
     *
     * @param jobId the id
     * @return the cancelled job
     * @throws dev.sentinel.core.NotFoundException if this tenant has no such job
     * @throws dev.sentinel.core.InvalidStateTransitionException if the job already finished
     * @throws dev.sentinel.core.PermissionDeniedException if a user actor lacks {@code job:manage}
     */
    Job cancel(UUID jobId);

    /**
     * Requeues a dead ({@link JobState#FAILED}) or cancelled job by hand: state queued, due now, attempts
     * reset to 0, the last error kept; recorded as {@code jobs.retry} in the audit trail.
     *
     * @param jobId the id
     * @return the requeued job
     * @throws dev.sentinel.core.NotFoundException if this tenant has no such job
     * @throws dev.sentinel.core.InvalidStateTransitionException if the job is not failed or cancelled
     * @throws dev.sentinel.core.UniqueViolationException if a live job with the same dedupe key exists
     * @throws dev.sentinel.core.PermissionDeniedException if a user actor lacks {@code job:manage}
     */
    Job retry(UUID jobId);

    /**
     * Completes a running job in this transaction, fenced by its lease token: for custom runners.
     * {@link JobWorkers} calls it in the handler's transaction, so the handler's writes and the
     * completion commit together.
     *
     * @param lease the lease from the claim
     * @param resultJson a JSON value, or {@code null}
     * @return the succeeded job
     * @throws LeaseLostException if the lease is no longer held; throw it on so the transaction rolls back
     */
    Job complete(JobLease lease, String resultJson);
}
