package dev.sentinel.core.internal;

import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.SerializationFailureException;
import dev.sentinel.core.StatementTimeoutException;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.UniqueViolationException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.QOM;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns PostgreSQL errors into {@link SentinelException} subclasses, keeping the driver's exception
 * as the cause. Installed as a jOOQ listener, so SQL run through {@code tx.dsl()} throws the same
 * types as the repositories.
 */
public final class ErrorTranslator implements ExecuteListener {
    private static final long serialVersionUID = 1L;

    /**
     * Citus relays a worker's error with its message but without the constraint and table fields,
     * and the message names the shard's objects ({@code widgets_name_live_key_102008}): the names
     * are read back from the message and the shard id taken off, so that a typed error names the
     * constraint on a cluster too. A unique violation's message names no table: the table the jOOQ
     * statement writes is named instead.
     */
    private static final Pattern CONSTRAINT_IN_MESSAGE = Pattern.compile("constraint \"([^\"]+)\"");
    private static final Pattern RELATION_IN_MESSAGE = Pattern.compile("(?:relation|table) \"([^\"]+)\"");
    private static final Pattern SHARD_SUFFIX = Pattern.compile("_[0-9]+$");
    /** Citus's refusal of an update of the distribution column. */
    private static final String CITUS_TENANT_CHANGE = "modifying the partition value of rows is not allowed";

    /** Creates the listener; it holds no state, so one instance serves every transaction. */
    public ErrorTranslator() {
    }

    @Override
    public void exception(ExecuteContext context) {
        SQLException sql = context.sqlException();
        RuntimeException thrown = context.exception();
        if (sql == null && thrown != null && !(thrown instanceof SentinelException)) {
            // Some driver errors reach jOOQ's listeners already wrapped, with no sqlException(): one
            // raised while jOOQ reads a raw query's column types, which pgjdbc looks up in the catalog
            // with a query of its own after the statement has answered (a connection lost then).
            sql = sqlCause(thrown);
        }
        if (sql != null) {
            TransactionRunner.Prologue prologue = TransactionRunner.running();
            SentinelException closed = prologue == null ? null : prologue.closedTenant(sql, thrown);
            context.exception(closed != null ? closed : translate(sql, thrown, tableOf(context.query())));
        }
    }

    /**
     * The table a jOOQ statement writes, for an error that arrives without its table: Citus relays
     * a worker's unique violation with a message that names only the index.
     */
    private static String tableOf(Query query) {
        Table<?> table = query instanceof QOM.Insert<?> insert ? insert.$into()
                : query instanceof QOM.Update<?> update ? update.$table()
                : query instanceof QOM.Delete<?> delete ? delete.$from() : null;
        return table == null ? null : table.getName();
    }

    private static SQLException sqlCause(Throwable thrown) {
        Throwable cause = thrown.getCause();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /**
     * Translates one error.
     *
     * @param error the driver's exception
     * @param cause the exception to chain (the driver's, or jOOQ's wrapper of it)
     * @return the typed exception
     */
    public static SentinelException translate(SQLException error, Throwable cause) {
        return translate(error, cause, null);
    }

    private static SentinelException translate(SQLException error, Throwable cause, String statementTable) {
        String state = error.getSQLState() == null ? "" : error.getSQLState();
        ServerErrorMessage server = error instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        String constraint = server == null ? null : server.getConstraint();
        String table = server == null ? null : server.getTable();
        String message = server != null && server.getMessage() != null ? server.getMessage() : error.getMessage();
        if (constraint == null && server != null && fromCitusWorker(server.getWhere())) {
            constraint = logicalName(quoted(message, CONSTRAINT_IN_MESSAGE));
            table = logicalName(quoted(message, RELATION_IN_MESSAGE));
            if (table == null) {
                table = statementTable;
            }
        }
        String detail = server == null || server.getDetail() == null ? "" : " (" + server.getDetail() + ")";
        String hint = server == null || server.getHint() == null ? "" : ". " + server.getHint();
        return switch (state) {
            case "23505" -> new UniqueViolationException("Unique constraint " + constraint + (table == null ? "" : " on " + table)
                    + " violated: " + message + detail + ". Use another value, or update the existing row.", constraint, table, cause);
            case "23503", "23514", "23502", "23P01" -> new ConstraintViolationException("Constraint "
                    + (constraint == null ? "" : constraint + " ") + "violated: " + message + detail + hint, constraint, table, cause);
            // A trigger's refusal: an append-only or immutable table (the audit logs and chain, or a module's append-only table).
            case "23001" -> new ConstraintViolationException("Rejected by a trigger of " + table + ": " + message + detail + hint,
                    constraint, table, cause);
            case "40001", "40P01" -> new SerializationFailureException(message + ": the transaction was rolled back;"
                    + " run it again (TxOptions.withRetries does so automatically)", cause);
            case "57014" -> new StatementTimeoutException(message + ": the transaction was rolled back", cause);
            case "42501" -> message.contains("row-level security")
                    ? new TenantMismatchException(message + ": the row does not belong to the current scope's tenant", cause)
                    : new PermissionDeniedException(message, cause);
            // Citus refuses, on the coordinator, any statement that may change the distribution column,
            // which for Sentinel's tables is tenant_id: a move into another tenant, as the policy refuses
            // it on plain PostgreSQL (which lets a tenant's own id be written back; Citus does not).
            case "0A000" -> message.startsWith(CITUS_TENANT_CHANGE)
                    ? new TenantMismatchException(message + ": a row's tenant_id never changes (Citus distributes the"
                            + " table by it); a row cannot be moved to another tenant", cause)
                    : new DatabaseException(message + detail + " [SQLSTATE " + state + "]", state, cause);
            case "42P10" -> new InvalidInputException(message + ": name the columns of a unique index (among live"
                    + " rows for soft-delete tables) as the conflict target", cause);
            default -> {
                if (state.startsWith("22")) {
                    yield new InvalidInputException("Invalid value: " + message + detail, cause);
                }
                if (isConnectionLoss(state)) {
                    yield new ConnectionLostException("Connection to PostgreSQL lost: " + message + " [SQLSTATE " + state
                            + "]; the transaction did not commit", state, cause);
                }
                yield new DatabaseException(message + detail + (state.isEmpty() ? "" : " [SQLSTATE " + state + "]"), state, cause);
            }
        };
    }

    /**
     * Whether an SQLSTATE means a lost or refused connection: class 08 (connection exception, also
     * what pgjdbc reports for I/O errors), 57P01 (the session was terminated), 57P02 (the server
     * crashed or stopped immediately) or 57P03 (the server does not accept connections yet).
     *
     * @param sqlState an SQLSTATE, or {@code null}
     * @return {@code true} for those codes
     */
    public static boolean isConnectionLoss(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08")
                || sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }

    private static boolean fromCitusWorker(String where) {
        return where != null && where.contains("while executing command on ");
    }

    private static String quoted(String message, Pattern pattern) {
        Matcher match = message == null ? null : pattern.matcher(message);
        return match != null && match.find() ? match.group(1) : null;
    }

    private static String logicalName(String shardObject) {
        return shardObject == null ? null : SHARD_SUFFIX.matcher(shardObject).replaceFirst("");
    }
}
