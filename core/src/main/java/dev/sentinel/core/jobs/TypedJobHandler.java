package dev.sentinel.core.jobs;

import dev.sentinel.core.Tx;

/**
 * A {@link JobHandler} that receives its payload as an object, read by the workers'
 * {@link JobSerializer}. Same transaction and delivery rules as {@link JobHandler}.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface TypedJobHandler<T> {

    /**
     * Runs the job.
     *
     * @param tx the transaction, scoped to {@code job.tenantId()}, actor {@code service:jobs}
     * @param job the job, state running; {@code job.payload()} still has the JSON text
     * @param payload the payload, read from the JSON
     * @return done or snooze
     * @throws Exception to fail this attempt
     */
    JobOutcome handle(Tx tx, Job job, T payload) throws Exception;
}
