package dev.sentinel.core.internal;

import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.Ids;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.SerializationFailureException;
import dev.sentinel.core.TransactionConflictException;
import dev.sentinel.core.TxCallback;
import dev.sentinel.core.TxOptions;
import dev.sentinel.schema.SchemaNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.Configuration;
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

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);
    private static final long BACKOFF_BASE_MILLIS = 5;
    private static final long BACKOFF_CAP_MILLIS = 1_000;

    private final DataSource dataSource;
    private final Configuration jooq;
    private final Clock clock;
    private final SecretCipher secretCipher;
    private final ExtensionRegistry extensions;
    private final boolean citus;
    private final ThreadLocal<TxImpl> current = new ThreadLocal<>();

    /**
     * Creates a runner.
     *
     * @param dataSource runtime connections, as the application role
     * @param jooq the base jOOQ configuration (dialect, settings, error translation)
     * @param clock the service's clock, for timestamps the repositories write
     * @param secretCipher seals and opens secret columns, or {@code null} without keys
     * @param extensions the types {@code tx.attach} hands out
     * @param citus whether the database is a Citus coordinator ({@link ClusterCheck#isCitus})
     */
    public TransactionRunner(DataSource dataSource, Configuration jooq, Clock clock, SecretCipher secretCipher,
                             ExtensionRegistry extensions, boolean citus) {
        this.extensions = extensions;
        this.citus = citus;
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
        String previousRequestId = MDC.get(MDC_REQUEST_ID);
        MDC.put(MDC_REQUEST_ID, requestId);
        List<Runnable> hooks;
        R result;
        try (Connection connection = connection()) {
            boolean autoCommit = autoCommit(connection);
            TxImpl tx = new TxImpl(scope, options, requestId,
                    DSL.using(jooq.derive(new DefaultConnectionProvider(connection))), clock, secretCipher, extensions);
            current.set(tx);
            try {
                begin(connection, scope, options, requestId);
                result = callback.inTransaction(tx);
                if (tx.rollbackOnly()) {
                    throw new TransactionConflictException("A nested transaction failed and its exception was caught;"
                            + " the whole transaction was rolled back, since part of its work would otherwise commit");
                }
                commit(connection);
            } catch (Throwable e) {
                rollback(connection, e);
                throw e;
            } finally {
                current.remove();
                tx.close();
                restoreAutoCommit(connection, autoCommit);
            }
            hooks = tx.afterCommitHooks();
        } catch (SQLException e) {
            // Only closing the connection is left here; the transaction itself is done.
            throw new DatabaseException("Could not return the connection to the pool: " + e.getMessage(), e.getSQLState(), e);
        } finally {
            if (previousRequestId == null) {
                MDC.remove(MDC_REQUEST_ID);
            } else {
                MDC.put(MDC_REQUEST_ID, previousRequestId);
            }
        }
        runHooks(hooks);
        return result;
    }

    /**
     * Sends the transaction's settings as one statement string. pgjdbc, with auto-commit off,
     * sends its implicit BEGIN and all of these in one network round trip. Every setting is
     * written on every transaction, so nothing a previous transaction (or a session-level SET by
     * raw code) left on a pooled connection can apply: the tenant is always set, to '' in the
     * system scope. Values are validated literals (a UUID, an actor, a request id of safe
     * characters), never user text. On Citus, {@code citus.propagate_set_commands = 'local'} comes
     * first: without it the settings stay on the coordinator, the workers' policies compare with
     * null, and distributed tables read as empty.
     */
    static String setupSql(ScopeSpec scope, TxOptions options, String requestId, boolean citus) {
        StringBuilder sql = new StringBuilder();
        if (options.isolation().isPresent() || options.readOnly()) {
            sql.append("SET TRANSACTION");
            options.isolation().ifPresent(level -> sql.append(" ISOLATION LEVEL ").append(level.sql()));
            if (options.readOnly()) {
                sql.append(options.isolation().isPresent() ? "," : "").append(" READ ONLY");
            }
            sql.append("; ");
        }
        if (citus) {
            sql.append("SET LOCAL citus.propagate_set_commands = 'local'; ");
        }
        options.statementTimeout().ifPresent(timeout -> sql.append("SET LOCAL statement_timeout = ").append(timeout.toMillis()).append("; "));
        sql.append("SET LOCAL ").append(SchemaNames.SCOPE_SETTING).append(" = '").append(scope.system() ? "system" : "tenant").append("'; ");
        sql.append("SET LOCAL ").append(SchemaNames.TENANT_SETTING).append(" = '").append(scope.system() ? "" : scope.tenantId()).append("'; ");
        sql.append("SET LOCAL ").append(SchemaNames.ACTOR_SETTING).append(" = '").append(scope.actor().settingValue()).append("'; ");
        sql.append("SET LOCAL ").append(SchemaNames.REQUEST_SETTING).append(" = '").append(requestId).append("'");
        return sql.toString();
    }

    private void begin(Connection connection, ScopeSpec scope, TxOptions options, String requestId) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(setupSql(scope, options, requestId, citus));
        } catch (SQLException e) {
            throw ErrorTranslator.translate(e, e);
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
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

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            String message = "Could not get a connection from the runtime DataSource: " + e.getMessage();
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
