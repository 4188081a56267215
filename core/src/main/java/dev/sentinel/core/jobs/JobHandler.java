package dev.sentinel.core.jobs;

import dev.sentinel.core.Tx;

/**
 * The code that runs one job type. Called in a transaction of the job's tenant, so row-level
 * security and the audit trail hold as in a request; the job's completion commits in that same
 * transaction. Delivery is at least once: a handler must tolerate running again for the same job
 * (after a crash or a lapsed lease), for instance by keying its external effects on the job id.
 */
@FunctionalInterface
public interface JobHandler {

    /**
     * Runs the job.
     *
     * @param tx the transaction, scoped to {@code job.tenantId()}, actor {@code service:jobs}
     * @param job the job, state running
     * @return done or snooze
     * @throws Exception to fail this attempt: the transaction rolls back and the job is retried
     *     with backoff, or dead after its last attempt
     */
    JobOutcome handle(Tx tx, Job job) throws Exception;
}
