package dev.sentinel.core.internal;

import dev.sentinel.core.Scope;
import dev.sentinel.core.Tx;
import java.util.function.Function;

/**
 * The one way the job queue reaches the database in the system scope: claims, the rescuer's sweep,
 * retention's tenant list, recurring schedules and the stats. Keeping every such access here lets a
 * deployment route it to the system scope's own login role and pool in one place. Thread-safe.
 */
public final class JobSystemAccess {

    private final Scope system;
    private final TransactionRunner runner;
    private final ScopeSpec spec;

    /**
     * Creates the seam.
     *
     * @param system the system scope, actor {@code service:jobs}
     * @param runner the runner behind it, for pipelined statements
     * @param spec the system scope's spec
     */
    public JobSystemAccess(Scope system, TransactionRunner runner, ScopeSpec spec) {
        this.system = system;
        this.runner = runner;
        this.spec = spec;
    }

    /**
     * Runs work in a system transaction.
     *
     * @param work the work
     * @param <R> the result
     * @return the work's result, after the commit
     */
    public <R> R inTransaction(Function<Tx, R> work) {
        return system.inTransaction(work::apply);
    }

    /**
     * Runs statements pipelined by hand in a system transaction; see {@link TransactionRunner#pipelined}.
     *
     * @param work the work
     * @param <R> the result
     * @return the work's result
     */
    public <R> R pipelined(TransactionRunner.PipelinedWork<R> work) {
        return runner.pipelined(spec, work);
    }
}
