package dev.sentinel.core.lifecycle;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.internal.ErrorTranslator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Deletes every row of a closed tenant, the last step of offboarding, as the owner role: the
 * kernel's tables, the modules' and the service's own, found in the live catalog at purge time
 * (every table with a {@code tenant_id} column, in any schema), children before the tables they
 * reference, then the tenant's audit trail and chain, then its {@code tenants} row. Runs only on
 * the owner's connections, never the runtime pools.
 *
 * <pre>{@code
 * PurgeReport report = TenantPurge.using(ownerDataSource).purge(tenantId, Actor.service("offboarding"));
 * }</pre>
 *
 * <p><b>Batches.</b> Each batch deletes up to {@link #batchSize(int)} rows of one table in a
 * transaction of its own, which also adds the batch's count to the purge's state
 * ({@code sentinel.tenant_purge_tables}): only the tenant's rows are locked, and only for one
 * batch, so other tenants keep writing the same tables. A purge cut short (a crash, a lost
 * connection: {@link ConnectionLostException}) resumes where it stopped when called again, and its
 * counts are those of every run together.
 *
 * <p><b>No audit row per deleted row.</b> The data tables' batches run with
 * {@code session_replication_role = replica} set for the transaction (the role bootstrap grants the
 * owner that parameter; the runtime roles cannot set it): no trigger fires, neither the audit
 * trigger nor the append-only and immutability guards of modules' tables (agency's ledger entries,
 * issued invoices, contract versions), nor the foreign keys' checks, which the order makes moot.
 * The audit trail and chain go last through their one removal path, a DELETE by the owner in a
 * transaction that sets {@code sentinel.audit_removal}. The purge is recorded once, in the system
 * trail: action {@code tenant.purge}, the actor, the tenant's id and the rows deleted per table.
 *
 * <p><b>Refusals</b>, each before anything is written: an unknown tenant ({@link NotFoundException});
 * an open one, one whose grace period has not ended (unless {@link #ignoringGracePeriod()}), or
 * one purged already ({@link InvalidStateTransitionException}); a connection that is not the
 * owner's ({@link PermissionDeniedException}); a table without {@code tenant_id} that references
 * a tenant table, whose rows the purge could not tell apart ({@link InvalidStateTransitionException}).
 * Two purges of one tenant exclude each other. Immutable and thread-safe.
 */
public final class TenantPurge {

    /** The default rows per batch. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    private static final String TENANTS = "sentinel.tenants";
    /**
     * The trail goes last, through the audit removal path: the rows, then the chain that seals them
     * (a sealer that runs meanwhile finds no row left to seal; a link it added is deleted with the chain).
     */
    private static final List<String> AUDIT_TABLES = List.of("sentinel.audit_log", "sentinel.audit_chain");
    private static final String SETTINGS = "select pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true),"
            + " pg_catalog.set_config('sentinel.scope', 'system', true), pg_catalog.set_config('sentinel.tenant_id', '', true),"
            + " pg_catalog.set_config('sentinel.actor_id', ?, true), pg_catalog.set_config('sentinel.request_id', ?, true),"
            + " pg_catalog.set_config('session_replication_role', ?, true), pg_catalog.set_config('sentinel.audit_removal', ?, true)";
    private static final String TENANT_TABLES = """
            select c.oid::regclass::text
              from pg_class c
              join pg_namespace n on n.oid = c.relnamespace
              join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
             where c.relkind in ('r', 'p') and not c.relispartition
               and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_)'
            """;
    private static final String REFERENCES = """
            select conrelid::regclass::text, confrelid::regclass::text
              from pg_constraint where contype = 'f' and conparentid = 0
            """;

    private final DataSource owner;
    private final int batchSize;
    private final boolean ignoreGracePeriod;

    private TenantPurge(DataSource owner, int batchSize, boolean ignoreGracePeriod) {
        this.owner = owner;
        this.batchSize = batchSize;
        this.ignoreGracePeriod = ignoreGracePeriod;
    }

    /**
     * A purge on the owner's connections (a direct connection as the role that owns schema
     * {@code sentinel}, such as the one {@code Sentinel.builder().migrateWith(...)} takes).
     *
     * @param ownerDataSource connections as the owner role
     * @return the purge, with batches of {@link #DEFAULT_BATCH_SIZE} rows, respecting grace periods
     * @throws InvalidInputException if {@code ownerDataSource} is null
     */
    public static TenantPurge using(DataSource ownerDataSource) {
        if (ownerDataSource == null) {
            throw new InvalidInputException("TenantPurge.using: ownerDataSource is null; pass connections as the owner role");
        }
        return new TenantPurge(ownerDataSource, DEFAULT_BATCH_SIZE, false);
    }

    /**
     * Copies with another batch size: the rows one transaction deletes from one table.
     *
     * @param rows rows per batch, 1 to 100,000
     * @return the copy
     * @throws InvalidInputException outside that range
     */
    public TenantPurge batchSize(int rows) {
        if (rows < 1 || rows > 100_000) {
            throw new InvalidInputException("TenantPurge.batchSize: " + rows + " is not between 1 and 100000");
        }
        return new TenantPurge(owner, rows, ignoreGracePeriod);
    }

    /**
     * Copies so that a closed tenant is purged before its grace period ends (the customer asked
     * for it, say). The tenant must still be closed.
     *
     * @return the copy
     */
    public TenantPurge ignoringGracePeriod() {
        return new TenantPurge(owner, batchSize, true);
    }

    /**
     * Purges a closed tenant whose grace period has ended, or finishes a purge that was cut short.
     *
     * @param tenantId the tenant
     * @param actor who purges, recorded in the system trail
     * @return the rows deleted per table
     * @throws InvalidInputException for a null argument
     * @throws NotFoundException for an unknown tenant
     * @throws InvalidStateTransitionException for an open tenant, a grace period not yet over, a
     *     tenant purged already, another purge of the tenant running, or a table that references
     *     tenant rows without a {@code tenant_id}
     * @throws PermissionDeniedException when the connections are not the owner's
     * @throws ConfigurationException when the owner may not set {@code session_replication_role}
     *     (run the role bootstrap again)
     * @throws ConnectionLostException when the connection broke; call again to resume
     */
    public PurgeReport purge(UUID tenantId, Actor actor) {
        if (tenantId == null || actor == null) {
            throw new InvalidInputException("TenantPurge.purge: tenantId and actor must not be null; nothing was written");
        }
        try (Connection connection = owner.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            boolean citus = requireOwner(connection);
            if (!lock(connection, tenantId, true)) {
                throw new InvalidStateTransitionException("Tenant " + tenantId + " is being purged by another call right now;"
                        + " wait for it to finish. Nothing was written");
            }
            try {
                connection.setAutoCommit(false);
                return new Run(connection, citus, tenantId, actor).run();
            } finally {
                try {
                    if (!connection.isClosed()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                        lock(connection, tenantId, false);
                        connection.setAutoCommit(autoCommit);
                    }
                } catch (SQLException e) {
                    // The connection is broken; the server released the session's lock with it.
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Refuses any role but the owner; answers whether the database is a Citus coordinator. */
    private static boolean requireOwner(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select current_user::text,"
                + " (select pg_catalog.pg_get_userbyid(nspowner)::text from pg_catalog.pg_namespace where nspname = 'sentinel'),"
                + " exists (select from pg_catalog.pg_extension where extname = 'citus')");
             ResultSet row = statement.executeQuery()) {
            row.next();
            if (!Objects.equals(row.getString(1), row.getString(2))) {
                throw new PermissionDeniedException("TenantPurge runs as the owner role (" + row.getString(2) + ", the owner of"
                        + " schema sentinel), not as " + row.getString(1) + ": pass the owner's DataSource, never a runtime"
                        + " pool. Nothing was written");
            }
            return row.getBoolean(3);
        }
    }

    /** A session-level advisory lock per tenant purge, released by the server if the connection dies. */
    private static boolean lock(Connection connection, UUID tenantId, boolean take) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(take
                ? "select pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('sentinel.tenant_purge'), pg_catalog.hashtext(?))"
                : "select pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('sentinel.tenant_purge'), pg_catalog.hashtext(?))")) {
            statement.setString(1, tenantId.toString());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static SentinelException translate(SQLException e) {
        if ("42501".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("session_replication_role")) {
            return new ConfigurationException("TenantPurge: the owner role may not set session_replication_role, which the"
                    + " purge sets for its own transactions; run the role bootstrap again (DatabaseBootstrap: GRANT SET ON"
                    + " PARAMETER session_replication_role TO the owner role, PostgreSQL 15 or newer)", e);
        }
        return ErrorTranslator.translate(e, e);
    }

    /** One call's work on one connection. */
    private final class Run {

        private final Connection connection;
        private final boolean citus;
        private final UUID tenantId;
        private final Actor actor;
        private final String requestId = Ids.next().toString();

        Run(Connection connection, boolean citus, UUID tenantId, Actor actor) {
            this.connection = connection;
            this.citus = citus;
            this.tenantId = tenantId;
            this.actor = actor;
        }

        PurgeReport run() throws SQLException {
            start();
            for (int round = 0; ; round++) {
                for (String table : pendingTables()) {
                    while (!batch(table)) {
                        // Batches until one finds no more rows of the tenant.
                    }
                }
                if (finish()) {
                    return report();
                }
                if (round == 2) {
                    throw new InvalidStateTransitionException("Tenant " + tenantId + ": rows of the tenant keep appearing"
                            + " while it is purged (raw SQL on a raw connection, or a system-scope job?); stop what writes"
                            + " them and call purge again, which resumes");
                }
            }
        }

        /** Checks the tenant and records the plan, in one transaction; refusals write nothing. */
        private void start() throws SQLException {
            settings("origin", "");
            Map<String, Object> purge = row("select started_at, finished_at from sentinel.tenant_purges"
                    + " where purged_tenant = ? for update", tenantId);
            if (purge != null && purge.get("finished_at") != null) {
                throw new InvalidStateTransitionException("Tenant " + tenantId + " was purged at " + purge.get("finished_at")
                        + "; nothing was written");
            }
            Map<String, Object> tenant = row("select closed_at, purge_after, now() as now from sentinel.tenants where id = ?",
                    tenantId);
            if (tenant == null) {
                throw new NotFoundException("TenantPurge: no tenant " + tenantId + "; nothing was written");
            }
            if (tenant.get("closed_at") == null) {
                throw new InvalidStateTransitionException("Tenant " + tenantId + " is open; close it first"
                        + " (TenantLifecycle.close in the system scope) and purge it after its grace period. Nothing was written");
            }
            OffsetDateTime purgeAfter = (OffsetDateTime) tenant.get("purge_after");
            if (purge == null && !ignoreGracePeriod && purgeAfter.isAfter((OffsetDateTime) tenant.get("now"))) {
                throw new InvalidStateTransitionException("Tenant " + tenantId + " is closed since " + tenant.get("closed_at")
                        + " and its grace period ends at " + purgeAfter + "; purge it after that, or use"
                        + " TenantPurge.ignoringGracePeriod() if it must go sooner. Nothing was written");
            }
            List<String> plan = plan();
            if (purge == null) {
                update("insert into sentinel.tenant_purges (purged_tenant, actor) values (?, ?)", tenantId, actor.settingValue());
            }
            record(plan);
            connection.commit();
        }

        /** The tables to empty, in order: the catalog's now, after those of an earlier run. */
        private List<String> plan() throws SQLException {
            Set<String> tables = new LinkedHashSet<>(strings(TENANT_TABLES));
            List<String[]> references = new ArrayList<>();
            List<String> strays = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(REFERENCES); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String child = rows.getString(1);
                    String parent = rows.getString(2);
                    references.add(new String[] {child, parent});
                    if (!tables.contains(child) && !child.equals(TENANTS) && (tables.contains(parent) || parent.equals(TENANTS))) {
                        strays.add(child + " -> " + parent);
                    }
                }
            }
            if (!strays.isEmpty()) {
                throw new InvalidStateTransitionException("TenantPurge cannot purge tenant " + tenantId + ": these tables"
                        + " reference tenant rows but have no tenant_id column, so the purge cannot tell which of their rows"
                        + " are the tenant's: " + strays + ". Give them a tenant_id (the schema conventions ask for it)."
                        + " Nothing was written");
            }
            tables.removeAll(AUDIT_TABLES);
            List<String> order = new ArrayList<>(PurgeOrder.childrenFirst(tables, references));
            order.addAll(AUDIT_TABLES);
            return order;
        }

        private void record(List<String> plan) throws SQLException {
            int position = ((Number) row("select coalesce(max(position), 0) as last from sentinel.tenant_purge_tables"
                    + " where purged_tenant = ?", tenantId).get("last")).intValue();
            for (String table : plan) {
                position++;
                update("insert into sentinel.tenant_purge_tables (purged_tenant, relation, position) values (?, ?, ?)"
                        + " on conflict (purged_tenant, relation) do nothing", tenantId, table, position);
            }
            // The trail stays last even when a later run found new tables.
            update("update sentinel.tenant_purge_tables set position = ? + array_position(?::text[], relation)"
                    + " where purged_tenant = ? and relation = any(?::text[])", position,
                    AUDIT_TABLES.toArray(String[]::new), tenantId, AUDIT_TABLES.toArray(String[]::new));
        }

        private List<String> pendingTables() throws SQLException {
            settings("origin", "");
            List<String> tables = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("select relation from sentinel.tenant_purge_tables"
                    + " where purged_tenant = ? and not done order by position")) {
                statement.setObject(1, tenantId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
            }
            connection.commit();
            return tables;
        }

        /**
         * Deletes one batch of the tenant's rows of one table and adds the count to the state, in
         * one transaction. The {@code ctid}s come from the tenant's own rows ({@code tenant_id = ?}
         * again in the delete), read by the same statement's snapshot, so no other tenant's row can
         * be hit.
         *
         * @return whether the table has no more rows of the tenant
         */
        private boolean batch(String table) throws SQLException {
            boolean audit = AUDIT_TABLES.contains(table);
            settings(audit ? "origin" : "replica", audit ? "tenant purge " + tenantId : "");
            int deleted = update("delete from " + table + " where tenant_id = ? and ctid = any(array(select ctid from " + table
                    + " where tenant_id = ? limit ?))", tenantId, tenantId, batchSize);
            boolean done = deleted < batchSize;
            update("update sentinel.tenant_purge_tables set rows_deleted = rows_deleted + ?, done = ?"
                    + " where purged_tenant = ? and relation = ?", deleted, done, tenantId, table);
            connection.commit();
            return done;
        }

        /**
         * Deletes the tenants row and records the purge, once no table holds a row of the tenant:
         * the tenants row is locked first, so a concurrent insert that references it (a late seal of
         * the chain) either committed before, and is counted here, or fails its foreign key after.
         *
         * @return whether the purge finished; {@code false} when rows appeared, whose tables are pending again
         */
        private boolean finish() throws SQLException {
            settings("origin", "");
            row("select id from sentinel.tenants where id = ? for update", tenantId);
            List<String> plan = plan();
            record(plan);
            List<String> left = new ArrayList<>();
            for (String table : plan) {
                if (row("select 1 as found from " + table + " where tenant_id = ? limit 1", tenantId) != null) {
                    left.add(table);
                }
            }
            if (!left.isEmpty()) {
                update("update sentinel.tenant_purge_tables set done = false where purged_tenant = ? and relation = any(?::text[])",
                        tenantId, left.toArray(String[]::new));
                connection.commit();
                return false;
            }
            replicationRole("replica");
            int tenants = update("delete from sentinel.tenants where id = ?", tenantId);
            replicationRole("origin");
            update("insert into sentinel.tenant_purge_tables (purged_tenant, relation, position, rows_deleted, done)"
                    + " select ?, ?, coalesce(max(position), 0) + 1, ?, true from sentinel.tenant_purge_tables where purged_tenant = ?"
                    + " on conflict (purged_tenant, relation) do update set rows_deleted = tenant_purge_tables.rows_deleted"
                    + " + excluded.rows_deleted, done = true", tenantId, TENANTS, tenants, tenantId);
            update("update sentinel.tenant_purges set finished_at = now() where purged_tenant = ?", tenantId);
            Map<String, Long> counts = counts();
            StringBuilder meta = new StringBuilder("{\"rows_deleted\": {");
            String separator = "";
            for (Map.Entry<String, Long> count : counts.entrySet()) {
                meta.append(separator).append('"').append(count.getKey().replace("\\", "\\\\").replace("\"", "\\\"")).append("\": ")
                        .append(count.getValue());
                separator = ", ";
            }
            meta.append("}}");
            update("insert into sentinel.system_audit_log (id, action, entity_type, entity_id, message, meta)"
                    + " values (?, 'tenant.purge', 'tenants', ?, ?, ?::jsonb)", Ids.next(), tenantId,
                    "tenant purged: " + counts.values().stream().mapToLong(Long::longValue).sum() + " rows in "
                            + counts.size() + " tables", meta.toString());
            connection.commit();
            return true;
        }

        private Map<String, Long> counts() throws SQLException {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("select relation, rows_deleted from"
                    + " sentinel.tenant_purge_tables where purged_tenant = ? order by position")) {
                statement.setObject(1, tenantId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        counts.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return counts;
        }

        private PurgeReport report() throws SQLException {
            settings("origin", "");
            Map<String, Object> purge = row("select started_at, finished_at from sentinel.tenant_purges where purged_tenant = ?",
                    tenantId);
            Map<String, Long> counts = counts();
            connection.commit();
            return new PurgeReport(tenantId, counts, (OffsetDateTime) purge.get("started_at"),
                    (OffsetDateTime) purge.get("finished_at"));
        }

        /**
         * The purge's settings for this transaction; the replication role decides whether triggers
         * fire. On a Citus coordinator they are {@code SET LOCAL} statements after
         * {@code citus.propagate_set_commands = 'local'}, the only form Citus passes on to the
         * workers, whose shards hold the rows, the policies and the triggers; the values are the
         * actor's setting value, a uuid and words of this class, all safe in a literal.
         */
        private void settings(String replicationRole, String auditRemoval) throws SQLException {
            if (citus) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL search_path = pg_catalog, pg_temp;"
                            + " SET LOCAL sentinel.scope = 'system'; SET LOCAL sentinel.tenant_id = '';"
                            + " SET LOCAL sentinel.actor_id = " + literal(actor.settingValue()) + ";"
                            + " SET LOCAL sentinel.request_id = " + literal(requestId) + ";"
                            + " SET LOCAL session_replication_role = " + literal(replicationRole) + ";"
                            + " SET LOCAL sentinel.audit_removal = " + literal(auditRemoval));
                }
                return;
            }
            try (PreparedStatement statement = connection.prepareStatement(SETTINGS)) {
                statement.setString(1, actor.settingValue());
                statement.setString(2, requestId);
                statement.setString(3, replicationRole);
                statement.setString(4, auditRemoval);
                statement.execute();
            }
        }

        private void replicationRole(String role) throws SQLException {
            if (citus) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL session_replication_role = " + literal(role));
                }
            } else {
                update("select pg_catalog.set_config('session_replication_role', ?, true)", role);
            }
        }

        private static String literal(String value) {
            return "'" + value.replace("'", "''") + "'";
        }

        private Map<String, Object> row(String sql, Object... binds) throws SQLException {
            try (PreparedStatement statement = prepare(sql, binds); ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    String column = rows.getMetaData().getColumnLabel(i);
                    row.put(column, rows.getMetaData().getColumnTypeName(i).equals("timestamptz")
                            ? rows.getObject(i, OffsetDateTime.class) : rows.getObject(i));
                }
                return row;
            }
        }

        private List<String> strings(String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }

        private int update(String sql, Object... binds) throws SQLException {
            try (PreparedStatement statement = prepare(sql, binds)) {
                if (statement.execute()) {
                    return 0;
                }
                return statement.getUpdateCount();
            }
        }

        private PreparedStatement prepare(String sql, Object... binds) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            for (int i = 0; i < binds.length; i++) {
                if (binds[i] instanceof String[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    statement.setObject(i + 1, binds[i]);
                }
            }
            return statement;
        }
    }
}
