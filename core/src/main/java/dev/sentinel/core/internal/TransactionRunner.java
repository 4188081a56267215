package dev.sentinel.core.internal;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.Ids;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.SerializationFailureException;
import dev.sentinel.core.TenantClosedException;
import dev.sentinel.core.TransactionConflictException;
import dev.sentinel.core.TxCallback;
import dev.sentinel.core.TxOptions;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.Configuration;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs callbacks in scoped transactions: one pooled connection, the scope's settings sent with
 * the transaction's first round trip, commit or rollback, bounded retries, after-commit hooks.
 * Thread-safe; each transaction is confined to its thread, where nested calls join it.
 */
public final class TransactionRunner {

    /** MDC key that carries the request id while a transaction runs. */
    public static final String MDC_REQUEST_ID = "sentinel.request_id";
    /** MDC key that carries the tenant id while a tenant transaction runs ({@code system} in the system scope). */
    public static final String MDC_TENANT_ID = "sentinel.tenant_id";
    /** MDC key that carries the actor ({@code user:<uuid>} or {@code service:<name>}) while a transaction runs. */
    public static final String MDC_ACTOR = "sentinel.actor";
    /** The transaction setting the default of {@code sentinel.jobs.traceparent} reads. */
    static final String TRACEPARENT_SETTING = "sentinel.traceparent";

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);
    /** A write in a read-only transaction, such as any transaction of a closed tenant. */
    static final String READ_ONLY_TRANSACTION = "25006";
    private static final long BACKOFF_BASE_MILLIS = 5;
    private static final long BACKOFF_CAP_MILLIS = 1_000;

    private final DataSource dataSource;
    private final DataSource systemDataSource;
    private final Configuration jooq;
    private final Clock clock;
    private final SecretCipher secretCipher;
    private final ExtensionRegistry extensions;
    private final Observer observer;
    private final SessionPins pins;
    private final ThreadLocal<TxImpl> current = new ThreadLocal<>();
    /**
     * The running transaction's prologue, for the error translation of statements that jOOQ runs
     * (its listener sees a configuration whose connection provider wraps the prologue).
     */
    private static final ThreadLocal<Prologue> RUNNING = new ThreadLocal<>();

    /**
     * Creates a runner.
     *
     * @param dataSource runtime connections, as the application role
     * @param systemDataSource the system scope's connections, as the system role, or {@code null}
     *     when the service configured none (then a system-scope transaction fails)
     * @param jooq the base jOOQ configuration (dialect, settings, error translation)
     * @param clock the service's clock, for timestamps the repositories write
     * @param secretCipher seals and opens secret columns, or {@code null} without keys
     * @param extensions the types {@code tx.attach} hands out
     * @param pins what every transaction pins, whatever its session says
     * @param observer told of each transaction's end and of retries
     */
    public TransactionRunner(DataSource dataSource, DataSource systemDataSource, Configuration jooq, Clock clock,
                             SecretCipher secretCipher, ExtensionRegistry extensions, SessionPins pins, Observer observer) {
        this.systemDataSource = systemDataSource;
        this.extensions = extensions;
        this.pins = pins;
        this.observer = observer;
        this.dataSource = dataSource;
        this.jooq = jooq;
        this.clock = clock;
        this.secretCipher = secretCipher;
    }

    /**
     * Runs a callback in a transaction of the given scope, or joins the transaction already open on
     * this thread.
     *
     * @param scope the scope
     * @param options the options
     * @param callback the work
     * @param <R> the result type
     * @param <X> the callback's checked exception
     * @return the callback's result, after the commit
     * @throws X as thrown by the callback, after the rollback
     */
    public <R, X extends Exception> R run(ScopeSpec scope, TxOptions options, TxCallback<R, X> callback) throws X {
        TxImpl outer = current.get();
        if (outer != null) {
            return join(outer, scope, options, callback);
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return runOnce(scope, options, callback);
            } catch (SerializationFailureException e) {
                observer.serializationFailure(scope.system(), attempt < options.retries());
                if (attempt >= options.retries()) {
                    if (options.retries() == 0) {
                        throw e;
                    }
                    throw new SerializationFailureException("Gave up after " + (attempt + 1) + " attempts: " + e.getMessage(), e);
                }
                LOG.debug("Retrying after {} (attempt {} of {})", e.getMessage(), attempt + 2, options.retries() + 1);
                backOff(attempt);
            }
        }
    }

    /**
     * Whether the database is a Citus coordinator.
     *
     * @return true on Citus
     */
    boolean onCitus() {
        return pins.citus();
    }

    /**
     * Runs a callback in a transaction of its own beside the one open on this thread, which it
     * neither joins nor sees; that one goes on after this one has committed (or rolled back). For
     * the few writes Citus cannot take inside the open transaction ({@link MembersImpl#invite}).
     *
     * @param scope the scope
     * @param callback the work
     * @param <R> the result type
     * @return the callback's result, after the commit
     */
    <R> R runBeside(ScopeSpec scope, TxCallback<R, RuntimeException> callback) {
        TxImpl outer = current.get();
        current.remove();
        try {
            return runOnce(scope, TxOptions.defaults(), callback);
        } finally {
            if (outer != null) {
                current.set(outer);
            }
        }
    }

    private <R, X extends Exception> R join(TxImpl outer, ScopeSpec scope, TxOptions options, TxCallback<R, X> callback) throws X {
        if (!outer.scope().equals(scope)) {
            throw new TransactionConflictException("A transaction for " + scope.describe() + " (actor " + scope.actor()
                    + ") cannot join the open transaction of " + outer.scope().describe() + " (actor " + outer.scope().actor()
                    + "); finish the outer transaction first, or run the work on another thread");
        }
        if (options.isolation().isPresent() && !options.isolation().equals(outer.options().isolation())) {
            throw new TransactionConflictException("A nested transaction asks for isolation " + options.isolation().get()
                    + " but joins one running at " + outer.options().isolation().map(Enum::name).orElse("the server default")
                    + "; set the level on the outermost transaction");
        }
        if (options.readOnly() && !outer.options().readOnly()) {
            LOG.debug("A read-only nested transaction joins a read-write one");
        }
        try {
            return callback.inTransaction(outer);
        } catch (Throwable e) {
            // The outer code may catch this, but the inner work must not half-commit.
            outer.markRollbackOnly();
            throw e;
        }
    }

    private <R, X extends Exception> R runOnce(ScopeSpec scope, TxOptions options, TxCallback<R, X> callback) throws X {
        String requestId = options.requestId().orElseGet(() -> Ids.next().toString());
        String traceparent = TraceContext.current();
        String previousRequestId = MDC.get(MDC_REQUEST_ID);
        String previousTenant = MDC.get(MDC_TENANT_ID);
        String previousActor = MDC.get(MDC_ACTOR);
        MDC.put(MDC_REQUEST_ID, requestId);
        MDC.put(MDC_TENANT_ID, scope.system() ? "system" : scope.tenantId().toString());
        MDC.put(MDC_ACTOR, scope.actor().settingValue());
        long started = System.nanoTime();
        boolean committed = false;
        List<Runnable> hooks;
        R result;
        try (Connection connection = connection(scope)) {
            boolean autoCommit = autoCommit(connection);
            Prologue prologue = new Prologue(connection, setup(scope, options, requestId, traceparent, pins),
                    scope.tenantId(), options.readOnly());
            TxImpl tx = new TxImpl(scope, options, requestId, DSL.using(jooq.derive(prologue)), clock, secretCipher, extensions,
                    this);
            tx.pipelineFirstStatement(prologue, connection);
            current.set(tx);
            Prologue outerPrologue = RUNNING.get();
            RUNNING.set(prologue);
            try {
                result = callback.inTransaction(tx);
                if (tx.rollbackOnly()) {
                    throw new TransactionConflictException(tx.rollbackReason().orElse("A nested transaction failed and its"
                            + " exception was caught; the whole transaction was rolled back, since part of its work would"
                            + " otherwise commit"));
                }
                if (tx.finisher() != null) {
                    finish(connection, prologue, tx.finisher());
                } else if (prologue.takePending() == null) {
                    commit(connection, prologue.sentThroughJooq());
                } else {
                    // Nothing was sent, so there is no transaction on the server to end.
                    connection.commit();
                }
                committed = true;
            } catch (Throwable e) {
                rollback(connection, e);
                throw e;
            } finally {
                current.remove();
                if (outerPrologue == null) {
                    RUNNING.remove();
                } else {
                    RUNNING.set(outerPrologue);
                }
                tx.close();
                restoreAutoCommit(connection, autoCommit);
            }
            hooks = tx.afterCommitHooks();
        } catch (SQLException e) {
            // Only closing the connection is left here; the transaction itself is done.
            throw new DatabaseException("Could not return the connection to the pool: " + e.getMessage(), e.getSQLState(), e);
        } finally {
            observer.transaction(scope.system(), committed, System.nanoTime() - started);
            restore(MDC_REQUEST_ID, previousRequestId);
            restore(MDC_TENANT_ID, previousTenant);
            restore(MDC_ACTOR, previousActor);
        }
        runHooks(hooks);
        return result;
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /**
     * The transaction's settings, sent in its first round trip: pgjdbc, with auto-commit off, sends
     * its implicit BEGIN and these statements in one network round trip. Every setting is written
     * on every transaction, so nothing a previous transaction (or a session-level SET by raw code,
     * or a per-role default) left on a pooled connection can apply: read-write or read-only as
     * asked, row-level security on, the timeouts, the search path with {@code pg_temp} last, and the
     * tenant, set to '' in the system scope. Values are validated literals (a UUID, an actor, a
     * request id of safe characters, a W3C traceparent of hex digits), never user text; outside
     * Citus they travel as binds ({@link SessionPins#setup}).
     */
    static TransactionSetup setup(ScopeSpec scope, TxOptions options, String requestId, String traceparent, SessionPins pins) {
        StringBuilder mode = new StringBuilder("SET TRANSACTION");
        options.isolation().ifPresent(level -> mode.append(" ISOLATION LEVEL ").append(level.sql()).append(','));
        mode.append(options.readOnly() ? " READ ONLY" : " READ WRITE");
        return pins.setup(mode.toString(), options, List.of(
                Map.entry(SchemaNames.SCOPE_SETTING, scope.system() ? "system" : "tenant"),
                Map.entry(SchemaNames.TENANT_SETTING, scope.system() ? "" : scope.tenantId().toString()),
                Map.entry(SchemaNames.ACTOR_SETTING, scope.actor().settingValue()),
                Map.entry(SchemaNames.REQUEST_SETTING, requestId),
                // Always written, like the tenant: '' when the caller has no trace, so none leaks from a
                // previous transaction on the connection into the jobs this one enqueues.
                Map.entry(TRACEPARENT_SETTING, TraceContext.valid(traceparent) ? traceparent : "")));
    }

    /**
     * Sends the setup, alone, so that a timeout it meets is the setup's: after one the session had
     * before the setup's own took effect, it rolls back and sends the setup's fallback.
     *
     * @return when the tenant was closed, or {@code null}
     */
    private static OffsetDateTime begin(Connection connection, TransactionSetup setup) {
        try {
            return send(connection, setup);
        } catch (SQLException e) {
            TransactionSetup retry = setup.retryAs(e);
            if (retry == null) {
                throw ErrorTranslator.translate(e, e);
            }
            try {
                connection.rollback();
                return send(connection, retry);
            } catch (SQLException again) {
                again.addSuppressed(e);
                throw ErrorTranslator.translate(again, again);
            }
        }
    }

    private static OffsetDateTime send(Connection connection, TransactionSetup setup) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(setup.sql())) {
            setup.bind(statement);
            boolean isResultSet = statement.execute();
            return setup.resultSets() == 0 ? null : setup.read(statement, isResultSet).closedSince();
        }
    }

    /**
     * The prologue of the transaction running on this thread, if any.
     *
     * @return the prologue, or {@code null}
     */
    static Prologue running() {
        return RUNNING.get();
    }

    /**
     * The connection of one transaction, which sends the transaction's settings right before its
     * first statement (jOOQ acquires the connection for every statement). A transaction that sends
     * nothing costs no round trip; one that ends with a {@link TxImpl.Finisher} and sent nothing
     * before sends settings, finisher and COMMIT in one.
     */
    static final class Prologue implements ConnectionProvider {

        private final Connection connection;
        private final UUID tenantId;
        private final boolean askedReadOnly;
        private TransactionSetup pending;
        /** The connection handed to jOOQ while the settings are pending ({@link SetupPipelining}). */
        private Connection pipelining;
        private OffsetDateTime closedSince;
        private boolean sentThroughJooq;

        Prologue(Connection connection, TransactionSetup setup, UUID tenantId, boolean askedReadOnly) {
            this.connection = connection;
            this.pending = setup;
            this.tenantId = tenantId;
            this.askedReadOnly = askedReadOnly;
        }

        @Override
        public Connection acquire() {
            // Every statement of tx.dsl() and of the repositories comes here: any of them may carry
            // the caller's SQL, such as a session-level SET.
            sentThroughJooq = true;
            if (pending == null) {
                return connection;
            }
            if (pipelining == null) {
                pipelining = SetupPipelining.connection(connection, this);
            }
            return pipelining;
        }

        /** Whether the settings are still to be sent. */
        boolean hasPending() {
            return pending != null;
        }

        /** Sends the settings alone, if they are still to be sent. */
        void sendPending() {
            TransactionSetup setup = takePending();
            if (setup != null) {
                closedSince = begin(connection, setup);
            }
        }

        /**
         * Makes settings taken for a statement that was never sent pending again.
         *
         * @param setup the settings
         */
        void restorePending(TransactionSetup setup) {
            pending = setup;
        }

        /**
         * After the first statement, sent with the settings, was refused as a write in a read-only
         * transaction: rolls back and sends the settings alone, so that their answer (whether the
         * tenant is closed, lost with the failed batch) is known to {@link #closedTenant}. Nothing
         * of the caller's had run: the transaction starts again with its settings only.
         *
         * @param setup the settings
         * @param error the refusal, which carries any error of this
         */
        void resendAlone(TransactionSetup setup, SQLException error) {
            if (askedReadOnly) {
                return; // the caller's own options refused the write
            }
            try {
                connection.rollback();
                closedSince = begin(connection, setup);
            } catch (SQLException | RuntimeException e) {
                error.addSuppressed(e);
            }
        }

        /** Records the closing time the setup answered when it was sent with another statement. */
        void closedSince(OffsetDateTime closed) {
            this.closedSince = closed;
        }

        /**
         * The typed error of a write refused because the tenant is closed: the database made the
         * transaction read-only (SQLSTATE 25006), and the setup said the tenant was closed. A
         * transaction the caller asked read-only gets the same SQLSTATE as ever: its write was
         * refused by its own options, whether or not the tenant is closed.
         *
         * @param error the driver's error
         * @param cause the exception to chain
         * @return the exception, or {@code null} when the error is another
         */
        TenantClosedException closedTenant(SQLException error, Throwable cause) {
            return closedSince != null && !askedReadOnly && READ_ONLY_TRANSACTION.equals(error.getSQLState())
                    ? new TenantClosedException(tenantId, closedSince, cause) : null;
        }

        @Override
        public void release(Connection released) {
            // The runner closes the connection when the transaction ends.
        }

        /**
         * Whether a statement went through jOOQ (and so may have been the caller's), rather than
         * only Sentinel's own SQL sent on the connection directly.
         */
        boolean sentThroughJooq() {
            return sentThroughJooq;
        }

        /** The settings if not sent yet, and from now on counted as sent. */
        TransactionSetup takePending() {
            TransactionSetup setup = pending;
            pending = null;
            return setup;
        }
    }

    /**
     * Ends the transaction with its finisher and COMMIT in one round trip (after the settings, if
     * nothing was sent yet). pgjdbc sends a multi-statement string as one batch with one Sync; when
     * the finisher raises, the server skips the COMMIT behind it and the caller's rollback follows.
     * When nothing was sent before, no statement of the caller's can have set a setting at session
     * level (the finisher is Sentinel's own), so a plain COMMIT suffices: a job whose handler sends
     * nothing completes in settings, completion and COMMIT alone.
     */
    private static void finish(Connection connection, Prologue prologue, TxImpl.Finisher finisher) {
        TransactionSetup pendingSetup = prologue.takePending();
        pendingSetup = pendingSetup == null ? null : pendingSetup.forPipelining();
        String sql = pendingSetup != null ? pendingSetup.sql() + "; " + finisher.sql() + "; COMMIT"
                : prologue.sentThroughJooq() ? finisher.sql() + "; " + SessionPins.commitSql()
                : finisher.sql() + "; COMMIT";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int first = pendingSetup == null ? 1 : pendingSetup.bind(statement);
            for (int i = 0; i < finisher.binds().length; i++) {
                statement.setObject(first + i, finisher.binds()[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            SentinelException translated = prologue.closedTenant(e, e);
            if (translated != null) {
                throw translated;
            }
            translated = finisher.translate().apply(e);
            if (translated != null) {
                throw translated;
            }
            translated = ErrorTranslator.translate(e, e);
            if (translated instanceof ConnectionLostException) {
                throw new ConnectionLostException("Connection to PostgreSQL lost during the transaction's last statement and"
                        + " COMMIT, so whether the transaction committed is unknown; check before running the work again ("
                        + e.getMessage() + ")", e.getSQLState(), e, true);
            }
            throw translated;
        }
    }

    /**
     * Work on a raw connection of a transaction, for statements pipelined by hand.
     *
     * @param <R> the result
     */
    @FunctionalInterface
    public interface PipelinedWork<R> {

        /**
         * Runs the work. Send {@code setupSql} before or with the first statement; a work may end
         * with its own COMMIT in its last batch.
         *
         * @param connection the connection, auto-commit off
         * @param dsl jOOQ on that connection, for reading result sets
         * @param setup the scope's settings, not sent yet: its text first, its values bound first
         *     ({@link TransactionSetup#bind}), its {@link TransactionSetup#resultSets() result sets} skipped
         * @return the result
         * @throws SQLException from the driver
         */
        R run(Connection connection, DSLContext dsl, TransactionSetup setup) throws SQLException;
    }

    /**
     * Runs statements that the caller pipelines by hand in a transaction of {@code scope} (never
     * joins an open one): the job queue's claims send settings and the first read in one round
     * trip, then the claims and COMMIT in one. Commits afterwards unless the work did.
     *
     * @param scope the scope
     * @param work the work
     * @param <R> the result
     * @return the work's result
     */
    public <R> R pipelined(ScopeSpec scope, PipelinedWork<R> work) {
        try (Connection connection = connection(scope)) {
            boolean autoCommit = autoCommit(connection);
            try {
                R result = work.run(connection, DSL.using(jooq.derive(new DefaultConnectionProvider(connection))),
                        setup(scope, TxOptions.defaults(), Ids.next().toString(), null, pins).forPipelining());
                connection.commit(); // nothing left to send when the work committed: pgjdbc sees the session idle
                return result;
            } catch (SQLException e) {
                SentinelException translated = ErrorTranslator.translate(e, e);
                rollback(connection, translated);
                throw translated;
            } catch (DataAccessException e) {
                // jOOQ reading a result set (its metadata) on a connection the server dropped: typed too.
                SQLException cause = e.getCause(SQLException.class);
                RuntimeException translated = cause == null ? e : ErrorTranslator.translate(cause, e);
                rollback(connection, translated);
                throw translated;
            } catch (RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                restoreAutoCommit(connection, autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not return the connection to the pool: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /**
     * Commits in one round trip that first resets Sentinel's settings at session level: a
     * session-level {@code set sentinel.scope = 'system'} (or {@code set_config(..., false)}) sent
     * through {@code tx.dsl()} would otherwise persist on the server connection once the transaction
     * commits, for the next client of a transaction pooler to inherit. A rollback undoes such a
     * setting by itself. A transaction whose every statement was Sentinel's own SQL, sent without
     * jOOQ (an enqueue), cannot have set one, and commits with a plain COMMIT.
     */
    private static void commit(Connection connection, boolean sentThroughJooq) {
        try (PreparedStatement statement = connection.prepareStatement(sentThroughJooq ? SessionPins.commitSql() : "COMMIT")) {
            statement.execute();
        } catch (SQLException e) {
            SentinelException translated = ErrorTranslator.translate(e, e);
            if (translated instanceof ConnectionLostException) {
                // The server may have committed before its answer was lost: say so, never guess.
                throw new ConnectionLostException("Connection to PostgreSQL lost during COMMIT, so whether the transaction"
                        + " committed is unknown; check before running the work again (" + e.getMessage() + ")", e.getSQLState(), e, true);
            }
            throw translated;
        }
    }

    private static void rollback(Connection connection, Throwable original) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException rollbackError) {
            // Never let the rollback's failure hide why the transaction failed.
            original.addSuppressed(rollbackError);
        }
    }

    /** The system scope's transactions run on the system role's pool, every other on the tenant pool. */
    private Connection connection(ScopeSpec scope) {
        DataSource source = dataSource;
        if (scope.system()) {
            if (systemDataSource == null) {
                throw new ConfigurationException("Sentinel: " + scope.describe() + " (actor " + scope.actor() + ") needs the system"
                        + " scope's own connections, and none are configured; call systemDataSource(systemDataSource) on"
                        + " Sentinel.builder() with connections as the system role (" + Roles.DEFAULT_SYSTEM + " by default)."
                        + " The tenant pool's role cannot enter the system scope. Nothing was written");
            }
            source = systemDataSource;
        }
        try {
            return source.getConnection();
        } catch (SQLException e) {
            String message = "Could not get a connection from the " + (scope.system() ? "system" : "runtime")
                    + " DataSource: " + e.getMessage();
            throw ErrorTranslator.isConnectionLoss(e.getSQLState())
                    ? new ConnectionLostException(message, e.getSQLState(), e)
                    : new DatabaseException(message, e.getSQLState(), e);
        }
    }

    private static boolean autoCommit(Connection connection) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                // Local to pgjdbc: no round trip. The driver then sends BEGIN with the first statement.
                connection.setAutoCommit(false);
            }
            return autoCommit;
        } catch (SQLException e) {
            throw ErrorTranslator.translate(e, e);
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        if (!autoCommit) {
            return;
        }
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.warn("Could not restore auto-commit on a pooled connection: {}", e.getMessage());
        }
    }

    private static void runHooks(List<Runnable> hooks) {
        RuntimeException first = null;
        for (Runnable hook : new ArrayList<>(hooks)) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void backOff(int attempt) {
        // Exponential backoff with full jitter: concurrent losers spread out instead of colliding again.
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt, 20));
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SentinelException("Interrupted while waiting to retry a transaction", e);
        }
    }
}
