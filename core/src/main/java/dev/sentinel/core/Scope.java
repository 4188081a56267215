package dev.sentinel.core;

import dev.sentinel.core.internal.ScopeSpec;
import dev.sentinel.core.internal.TransactionRunner;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a unit of work runs: one tenant ({@link Sentinel#tenant}) or the system scope
 * ({@link Sentinel#system}), with an actor and transaction options. Made only by {@link Sentinel};
 * immutable and thread-safe, so a service may keep one per request.
 *
 * <p>Each call to {@link #inTransaction} or {@link #useTransaction} runs one transaction on one
 * pooled connection. Its settings (tenant, scope, actor, request id, isolation, read-only,
 * statement timeout) go out in the transaction's first round trip as {@code SET TRANSACTION} and
 * {@code SET LOCAL} statements, which both PgBouncer's transaction pooling and Citus honour. A call
 * made while a transaction of the same scope is open on the thread joins it; a call for another
 * scope, or another isolation level, throws {@link TransactionConflictException}.
 */
public final class Scope {

    private final TransactionRunner runner;
    private final ScopeSpec spec;
    private final TxOptions options;

    Scope(TransactionRunner runner, ScopeSpec spec, TxOptions options) {
        this.runner = runner;
        this.spec = spec;
        this.options = options;
    }

    /**
     * This scope with other transaction options.
     *
     * @param options the options, e.g. {@code TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withRetries(3)}
     * @return a new scope; this one is unchanged
     */
    public Scope with(TxOptions options) {
        return new Scope(runner, spec, Objects.requireNonNull(options, "options"));
    }

    /**
     * Runs work in a transaction and returns its result. The transaction commits when the work
     * returns and rolls back when it throws; a failure of the rollback itself is added to the
     * work's exception as suppressed, never in its place.
     *
     * @param callback the work
     * @param <R> the result type
     * @param <X> the checked exception the work may throw
     * @return the work's result, after the commit and the after-commit hooks
     * @throws X the work's exception, after the rollback
     * @throws SerializationFailureException if PostgreSQL aborted every attempt the options allow
     * @throws TransactionConflictException if this call cannot join the transaction open on this thread
     */
    public <R, X extends Exception> R inTransaction(TxCallback<R, X> callback) throws X {
        return runner.run(spec, options, Objects.requireNonNull(callback, "callback"));
    }

    /**
     * Runs work that returns nothing in a transaction; otherwise as {@link #inTransaction}.
     *
     * @param consumer the work
     * @param <X> the checked exception the work may throw
     * @throws X the work's exception, after the rollback
     */
    public <X extends Exception> void useTransaction(TxConsumer<X> consumer) throws X {
        inTransaction(Objects.requireNonNull(consumer, "consumer").asCallback());
    }

    /**
     * The tenant.
     *
     * @return the tenant's id, or empty for the system scope
     */
    public Optional<UUID> tenantId() {
        return Optional.ofNullable(spec.tenantId());
    }

    /**
     * The actor.
     *
     * @return who acts
     */
    public Actor actor() {
        return spec.actor();
    }

    /**
     * The options.
     *
     * @return the transaction options
     */
    public TxOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "Scope[" + spec.describe() + ", " + spec.actor() + "]";
    }
}
