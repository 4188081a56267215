package dev.sentinel.core.internal;

import dev.sentinel.core.TxOptions;
import dev.sentinel.schema.SchemaNames;
import java.time.Duration;
import java.util.List;

/**
 * What every Sentinel transaction pins in its first round trip, whatever the pooled session it
 * runs on says: a session-level {@code SET}, a per-role or per-database default
 * ({@code ALTER ROLE ... SET}), or a value left behind by another client of a transaction pooler
 * cannot make the transaction read-only, time it out, turn row-level security off, or let a
 * temporary table shadow a real one. And the settings Sentinel reads, reset at session level by the
 * commit's round trip, so that a session-level {@code set sentinel.*} sent through {@code tx.dsl()}
 * cannot outlive the transaction on a pooled server connection. Immutable.
 *
 * @param statementTimeout the default statement timeout of a transaction; zero for none
 * @param lockTimeout the default lock timeout of a transaction; zero for none
 * @param searchPath the schemas unqualified names resolve in, {@code pg_temp} always last
 * @param citus whether the database is a Citus coordinator ({@link ClusterCheck#isCitus}), whose
 *     workers see the {@code SET LOCAL}s only when they are propagated
 */
public record SessionPins(Duration statementTimeout, Duration lockTimeout, List<String> searchPath, boolean citus) {

    /** Sentinel's own settings, read by its policies and triggers: reset at session level on commit. */
    static final List<String> SENTINEL_SETTINGS = List.of(SchemaNames.SCOPE_SETTING, SchemaNames.TENANT_SETTING,
            SchemaNames.ACTOR_SETTING, SchemaNames.REQUEST_SETTING, TransactionRunner.TRACEPARENT_SETTING);

    /**
     * The pins of a service: no timeouts (PostgreSQL's defaults, now pinned) and the service's schema
     * (and {@code public}) before {@code pg_temp}.
     *
     * @param serviceSchema the service's schema
     * @return the pins
     */
    public static SessionPins of(String serviceSchema) {
        return new SessionPins(Duration.ZERO, Duration.ZERO,
                "public".equals(serviceSchema) ? List.of("public") : List.of(serviceSchema, "public"), false);
    }

    /**
     * Copies with other timeouts.
     *
     * @param statement the default statement timeout; zero for none
     * @param lock the default lock timeout; zero for none
     * @return the copy
     */
    public SessionPins withTimeouts(Duration statement, Duration lock) {
        return new SessionPins(statement, lock, searchPath, citus);
    }

    /**
     * Copies for a Citus coordinator or not.
     *
     * @param onCitus whether the database is a Citus coordinator
     * @return the copy
     */
    public SessionPins withCitus(boolean onCitus) {
        return new SessionPins(statementTimeout, lockTimeout, searchPath, onCitus);
    }

    /**
     * The pinning statements, each ending in "; ", to follow {@code SET TRANSACTION}. On Citus,
     * {@code citus.propagate_set_commands = 'local'} comes first: without it the settings stay on
     * the coordinator, the workers' policies compare with null, and distributed tables read as empty.
     */
    String sql(TxOptions options) {
        // The second: a write to a reference table that is not a plain insert (an insert on conflict)
        // would lock the table's shard on a worker first, which Citus allows only to a role that may
        // update, delete or truncate it; the application role may only insert into some (secret key
        // checks). Sentinel writes reference tables only from the coordinator, where no such lock is needed.
        StringBuilder sql = new StringBuilder(citus ? "SET LOCAL citus.propagate_set_commands = 'local'; "
                + "SET LOCAL citus.allow_modifications_from_workers_to_replicated_tables = off; " : "");
        sql.append("SET LOCAL row_security = on; ");
        sql.append("SET LOCAL statement_timeout = ").append(options.statementTimeout().orElse(statementTimeout).toMillis()).append("; ");
        sql.append("SET LOCAL lock_timeout = ").append(lockTimeout.toMillis()).append("; ");
        sql.append("SET LOCAL search_path = ");
        for (String schema : searchPath) {
            sql.append('"').append(schema.replace("\"", "\"\"")).append("\", ");
        }
        return sql.append("pg_temp; ").toString();
    }

    /** The commit's statement: Sentinel's settings back to empty at session level, then COMMIT. */
    static String commitSql() {
        StringBuilder sql = new StringBuilder();
        for (String setting : SENTINEL_SETTINGS) {
            sql.append("RESET ").append(setting).append("; ");
        }
        return sql.append("COMMIT").toString();
    }
}
