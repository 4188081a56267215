package dev.sentinel.core.jobs;

import dev.sentinel.core.db.enums.JobState;
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
 * A claim ranks each tenant's due queued jobs of the queue ({@code row_number() over (order by
 * priority desc, run_at, id)} per tenant) and orders the candidates by {@code (rank, priority desc,
 * served_at nulls first, run_at, id)}, where {@code served_at} is the tenant's latest claim in that
 * queue; it locks the first {@code batch} with {@code FOR UPDATE SKIP LOCKED}. Within a claim, every
 * tenant's best due job comes before any tenant's second; across claims, among equal ranks and
 * priorities the tenant served least recently goes first, a round robin. <b>Bound:</b> with
 * {@code T} tenants holding due jobs of a queue at equal priority, a tenant's best due job is among
 * the next {@code T} jobs claimed from that queue, in one batch or one job at a time, however many
 * jobs any tenant has queued (and its {@code k}-th best within the next {@code k * T} when claimed
 * in one batch). What may go ahead of it beyond that: jobs of higher priority, and a tenant that
 * was never served or arrives meanwhile (once each). Rows that a concurrent claim holds locked are
 * skipped, never waited for, so concurrent claimers share the order rather than each following it.
 *
 * <p>The cost: the tenants with queued jobs are found by a skip scan of {@code jobs_tenant_claim_idx},
 * each contributes at most {@code 2 * batch} candidates read in index order and its {@code served_at}
 * from {@code jobs_tenant_started_idx}, so a claim costs a few index probes per tenant, not a read of every due job (rows that are queued but not yet due
 * and rank ahead in the index are passed over).
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
     * Retention: deletes succeeded and cancelled jobs that finished more than {@code olderThan}
     * ago, tenant by tenant, in batches of at most {@code batchSize} rows, each its own short
     * transaction that skips rows another transaction holds. Claims never wait for it: they lock
     * queued jobs only. Dead jobs ({@link JobState#FAILED}) are kept until handled (retried by
     * hand), queued and running jobs always. {@link JobWorkers} pools run it on their own (see
     * {@link JobWorkers.Builder#keepFinished}).
     *
     * @param olderThan how long finished jobs are kept, positive
     * @param batchSize rows per transaction, 1 to 10,000
     * @return how many jobs were deleted
     * @throws dev.sentinel.core.InvalidInputException for a bad argument
     */
    int pruneFinished(Duration olderThan, int batchSize);

    /**
     * Counts by queue and state, and the age of the oldest due queued job per queue, across tenants.
     *
     * @return the figures
     */
    JobStats stats();
}
