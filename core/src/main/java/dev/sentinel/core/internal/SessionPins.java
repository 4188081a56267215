package dev.sentinel.core.internal;

import dev.sentinel.core.TxOptions;
import dev.sentinel.schema.SchemaNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

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
     * A transaction's setup: {@code transactionMode} (its {@code SET TRANSACTION}, a statement of its
     * own, since a query's snapshot would come first and fix the mode), then the pins and
     * {@code settings}, each set for the transaction only, but for the search path outside Citus,
     * set on the session: on PostgreSQL 18 a path that changed with every transaction made pgjdbc
     * prepare every statement again.
     *
     * <p>Outside Citus, the pins and settings are one {@code select pg_catalog.set_config(name, ?,
     * true), ...}: text that stays the same from one transaction to the next (the values are binds),
     * so the server parses and plans it once per connection, where each {@code SET LOCAL} was parsed
     * and executed as a statement of its own on every transaction. {@code pg_catalog} is named, so a
     * {@code search_path} left on the session cannot put another {@code set_config} in front of it.
     *
     * <p>In a tenant's scope, the select's last column is {@code sentinel.pin_closed_tenant(tenant)},
     * which makes the transaction read-only when the tenant is closed (PostgreSQL lets a transaction
     * turn read-only at any point, never back once a query ran) and answers the closing time
     * ({@link TransactionSetup#read}), with two other forms for a retry and for a batch
     * ({@link TransactionSetup#retryAs}, {@link TransactionSetup#forPipelining}). On Citus it is a
     * statement of its own after the {@code SET LOCAL}s.
     *
     * <p>On Citus they stay {@code SET LOCAL} statements with the values written in, after
     * {@code citus.propagate_set_commands = 'local'}: Citus propagates only those to the workers;
     * without them the settings stay on the coordinator, the workers' policies compare with null,
     * and distributed tables read as empty.
     *
     * @param transactionMode the {@code SET TRANSACTION} statement
     * @param options the transaction's options, for its statement timeout
     * @param settings Sentinel's settings, each a name and a validated value
     * @return the setup
     */
    TransactionSetup setup(String transactionMode, TxOptions options, List<Map.Entry<String, String>> settings) {
        String statementTimeoutMillis = Long.toString(options.statementTimeout().orElse(statementTimeout).toMillis());
        String lockTimeoutMillis = Long.toString(lockTimeout.toMillis());
        StringBuilder path = new StringBuilder();
        for (String schema : searchPath) {
            path.append('"').append(schema.replace("\"", "\"\"")).append("\", ");
        }
        path.append("pg_temp");
        if (citus) {
            StringBuilder sql = new StringBuilder(transactionMode);
            // The second Citus pin: a write to a reference table that is not a plain insert (an insert
            // on conflict) would lock the table's shard on a worker first, which Citus allows only to a
            // role that may update, delete or truncate it; the application role may only insert into
            // some (secret key checks). Sentinel writes reference tables only from the coordinator.
            sql.append("; SET LOCAL citus.propagate_set_commands = 'local'"
                    + "; SET LOCAL citus.allow_modifications_from_workers_to_replicated_tables = off");
            sql.append("; SET LOCAL row_security = on");
            sql.append("; SET LOCAL statement_timeout = ").append(statementTimeoutMillis);
            sql.append("; SET LOCAL lock_timeout = ").append(lockTimeoutMillis);
            sql.append("; SET LOCAL search_path = ").append(path);
            String tenant = "";
            for (Map.Entry<String, String> setting : settings) {
                sql.append("; SET LOCAL ").append(setting.getKey()).append(" = '").append(setting.getValue()).append('\'');
                if (setting.getKey().equals(SchemaNames.TENANT_SETTING)) {
                    tenant = setting.getValue();
                }
            }
            if (!tenant.isEmpty()) {
                // The closed-tenant pin, a statement of its own after the pinned timeouts (so no
                // retry is needed), the tenant written in like the other values (a validated UUID).
                sql.append("; select sentinel.pin_closed_tenant('").append(tenant).append("')");
                return new TransactionSetup(sql.toString(), List.of(), 1, true, null, null);
            }
            return new TransactionSetup(sql.toString(), List.of(), 0, false, null, null);
        }
        StringBuilder sql = new StringBuilder(transactionMode).append("; select pg_catalog.set_config('row_security', 'on', true)");
        List<String> values = new ArrayList<>(List.of(statementTimeoutMillis, lockTimeoutMillis, path.toString()));
        sql.append(", pg_catalog.set_config('statement_timeout', ?, true)");
        sql.append(", pg_catalog.set_config('lock_timeout', ?, true)");
        // At session level, unlike every other pin: PostgreSQL 18 reports each change of search_path
        // to the client, and pgjdbc then prepares its statements again, so a path set for the
        // transaction and restored by its commit cost every statement of the next transaction a
        // parse and a plan. Set on the session, it changes once per connection. It is the same safe
        // path for whatever runs next on the connection; rolled back with a failed transaction.
        sql.append(", pg_catalog.set_config('search_path', ?, false)");
        String tenant = "";
        for (Map.Entry<String, String> setting : settings) {
            sql.append(", pg_catalog.set_config('").append(setting.getKey()).append("', ?, true)");
            values.add(setting.getValue());
            if (setting.getKey().equals(SchemaNames.TENANT_SETTING)) {
                tenant = setting.getValue();
            }
        }
        if (tenant.isEmpty()) {
            // The system scope (every job claim among others) has no tenant that could be closed.
            return new TransactionSetup(sql.toString(), List.copyOf(values), 1, false, null, null);
        }
        // The closed-tenant pin as the select's last column: a closed tenant's transaction turns
        // read-only here, and the answer is when it was closed (null if open). The columns run in
        // order, so the tenant's settings, which the read of tenants is checked against, are set by
        // then. The select runs under whatever statement and lock timeouts the session had (the
        // pinned ones apply from the next statement on), and the pin reads a table: a leftover 1 ms
        // timeout can cancel it. The retry, sent after a rollback when one does, pins the timeouts
        // first with SET LOCAL statements, which no timeout cancels (nothing to plan or read). In a
        // batch with other statements, where a timeout cannot be told apart from theirs, the pin
        // goes as a statement of its own after the select, under the pinned timeouts.
        values.add(tenant);
        List<String> all = List.copyOf(values);
        String select = sql.substring(transactionMode.length());
        TransactionSetup retry = new TransactionSetup(transactionMode + "; SET LOCAL statement_timeout = " + statementTimeoutMillis
                + "; SET LOCAL lock_timeout = " + lockTimeoutMillis + select + ", sentinel.pin_closed_tenant(?)", all, 1, true, null, null);
        TransactionSetup pipelined = new TransactionSetup(sql + "; select sentinel.pin_closed_tenant(?)", all, 2, true, null, null);
        return new TransactionSetup(sql + ", sentinel.pin_closed_tenant(?)", all, 1, true, retry, pipelined);
    }

    /**
     * The commit's statement: Sentinel's settings set to empty at session level, then COMMIT. One
     * {@code select} of {@code set_config(..., false)} rather than a {@code RESET} each: the same
     * text on every commit, parsed once per connection. Empty, not a role's default: a default
     * for {@code sentinel.*} is no value a transaction should inherit.
     */
    static String commitSql() {
        StringJoiner sql = new StringJoiner(", ", "select ", "; COMMIT");
        for (String setting : SENTINEL_SETTINGS) {
            sql.add("pg_catalog.set_config('" + setting + "', '', false)");
        }
        return sql.toString();
    }
}
