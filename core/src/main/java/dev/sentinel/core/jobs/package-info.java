/**
 * The job queue: jobs enqueued inside the caller's transaction ({@link dev.sentinel.core.Tx#jobs()}),
 * claimed fairly across tenants with {@code FOR UPDATE SKIP LOCKED} under fenced leases
 * ({@link dev.sentinel.core.jobs.JobQueue}), and run by a pool of workers
 * ({@link dev.sentinel.core.jobs.JobWorkers}), each handler in a transaction of the job's tenant.
 * Delivery is at least once; see {@code docs/concepts.md}, "The job queue".
 *
 * @serial exclude
 */
package dev.sentinel.core.jobs;
