package dev.sentinel.core.jobs;

import java.time.Duration;
import java.util.List;

/**
 * The worker side of the queue, from {@code sentinel.jobQueue()}: claiming across tenants (in the
 * system scope, since row-level security hides other tenants' jobs otherwise), fenced lease
 * operations (each in its own short transaction of the job's tenant, on its own connection), the
 * rescuer and metrics. {@link JobWorkers} drives it; use it directly for a custom runner.
 * Thread-safe.
 *
 * <h2>The claim and its fairness bound</h2>
 * A claim ranks the due queued jobs of each tenant ({@code row_number() over (partition by
 * tenant_id order by priority desc, run_at, id)}), orders all candidates by {@code (rank, priority
 * desc, run_at, id)}, and locks the first {@code batch} with {@code FOR UPDATE SKIP LOCKED}. So
 * every tenant's best due job comes before any tenant's second. <b>Bound:</b> with {@code T}
 * tenants holding due jobs of a queue and no higher-priority job arriving, a tenant's best due
 * job is among the next {@code T} jobs claimed from that queue (a tenant's {@code k}-th best
 * within the next {@code k * T}), however many jobs any other tenant has queued. Rows that a
 * concurrent claim holds locked are skipped, never waited for. Priority wins over fairness: a
 * tenant's priority-10 job goes before another tenant's priority-0 job of the same rank.
 * The cost: the ranking reads every due queued job of the queue, so a claim is O(due jobs).
 *
 * <p>Claims are not audited one by one (a queue does many per second; the job row itself records
 * attempts, owner and times).
 */
public interface JobQueue {

    /**
     * Claims up to {@code batch} due jobs of a queue, fairly across tenants (see above): each
     * becomes running, its attempts +1, under a new lease token held by {@code workerId} until
     * now + {@code lease}.
     *
     * @param queue the queue
     * @param types the job types to claim (those the caller has handlers for); empty for any
     * @param workerId names the worker, 1 to 200 characters
     * @param batch 1 to 1000
     * @param lease how long the lease lasts unless extended
     * @return the claimed jobs, in claim order; empty if none is due
     * @throws dev.sentinel.core.InvalidInputException for a bad argument
     */
    List<ClaimedJob> claim(String queue, List<String> types, String workerId, int batch, Duration lease);

    /**
     * Extends a lease to now + {@code lease}, in its own transaction (a heartbeat inside the
     * handler's open transaction would be invisible to others until it commits).
     *
     * @param lease the lease
     * @param extension how long from now
     * @return the lease with its new expiry
     * @throws LeaseLostException if the lease is no longer held
     */
    JobLease heartbeat(JobLease lease, Duration extension);

    /**
     * Completes a job in its own transaction; see {@link Jobs#complete} to do it in the handler's.
     *
     * @param lease the lease
     * @param resultJson a JSON value, or {@code null}
     * @return the succeeded job
     * @throws LeaseLostException if the lease is no longer held
     */
    Job complete(JobLease lease, String resultJson);

    /**
     * Fails this attempt. With attempts left the job goes back to queued, due after
     * {@code backoff.delay(attempts)}; otherwise it is dead ({@link JobState#FAILED}), kept, and
     * {@code jobs.dead} is recorded in the tenant's audit trail. The error stays in {@code last_error}.
     *
     * @param lease the lease
     * @param error what went wrong (cut to 4000 characters)
     * @param backoff the retry delay policy
     * @return the job after the failure
     * @throws LeaseLostException if the lease is no longer held
     */
    Job fail(JobLease lease, String error, Backoff backoff);

    /**
     * Puts a running job back to queued, due after {@code delay}, without using up the attempt.
     *
     * @param lease the lease
     * @param delay positive
     * @return the queued job
     * @throws LeaseLostException if the lease is no longer held
     */
    Job snooze(JobLease lease, Duration delay);

    /**
     * Gives a running job back, due now, without using up the attempt: what a worker does at
     * shutdown with jobs it did not finish.
     *
     * @param lease the lease
     * @return the queued job
     * @throws LeaseLostException if the lease is no longer held
     */
    Job release(JobLease lease);

    /**
     * The rescuer: returns running jobs whose lease has expired to queued (due now, the lapsed
     * attempt counted, {@code last_error} saying so), or makes them dead if that was their last
     * attempt (audited as {@code jobs.dead}). Their old lease tokens stop working.
     *
     * @return how many jobs it rescued or dead-lettered
     */
    int rescueExpired();

    /**
     * Counts by queue and state, and the age of the oldest due queued job per queue, across tenants.
     *
     * @return the figures
     */
    JobStats stats();
}
