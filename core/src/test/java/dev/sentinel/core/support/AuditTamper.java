package dev.sentinel.core.support;

import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The attacker of the tamper tests: the owner role in the system scope with the trails' append-only
 * triggers off, as anyone holding that role could be. On plain PostgreSQL the triggers of
 * {@code audit_log} and {@code audit_chain} are disabled, and enabled again before the commit (the
 * attacker covers their tracks). On a Citus coordinator disabling them by name does not reach the
 * statement triggers of the shards (measured: the shards still refuse), so there the transaction
 * sets {@code session_replication_role = replica}, which turns every trigger off for it on every
 * node and which the owner may set (the tenant purge's privilege, granted on each node by the role
 * bootstrap).
 */
public final class AuditTamper {

    /**
     * What a Citus coordinator needs in a transaction before {@code ALTER TABLE ... DISABLE TRIGGER
     * USER} on a distributed table (its row triggers): Citus's permission for triggers, and one
     * connection per node, so that the statements after the DDL may use the shards the DDL changed.
     */
    public static final String CITUS_DISABLE_TRIGGERS = "set local citus.enable_unsafe_triggers = on;"
            + " set local citus.multi_shard_modify_mode = 'sequential'";

    private AuditTamper() {
    }

    /**
     * Runs statements as the attacker, in one transaction, and commits.
     *
     * @param db the database
     * @param statements the tampering
     * @throws SQLException if a statement fails
     */
    public static void run(SentinelDatabase db, String... statements) throws SQLException {
        try (Connection owner = open(db); Statement statement = owner.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            commit(owner);
        }
    }

    /**
     * Opens the attacker's connection, its transaction begun.
     *
     * @param db the database
     * @return the connection; pass it to {@link #commit}
     * @throws SQLException if the owner cannot connect
     */
    public static Connection open(SentinelDatabase db) throws SQLException {
        Connection owner = db.ownerDataSource().getConnection();
        owner.setAutoCommit(false);
        try (Statement statement = owner.createStatement()) {
            statement.execute("set local sentinel.scope = 'system'");
            if (ClusterCheck.isCitus(db.adminDataSource())) {
                statement.execute("set local session_replication_role = replica");
            } else {
                statement.execute("alter table sentinel.audit_log disable trigger audit_log_append_only");
                statement.execute("alter table sentinel.audit_chain disable trigger audit_chain_append_only");
            }
        }
        return owner;
    }

    /**
     * Puts the triggers back where they were disabled, and commits.
     *
     * @param owner a connection from {@link #open}
     * @throws SQLException if the commit fails
     */
    public static void commit(Connection owner) throws SQLException {
        try (Statement statement = owner.createStatement()) {
            statement.execute("""
                    do $$
                    begin
                        if current_setting('session_replication_role') <> 'replica' then
                            alter table sentinel.audit_log enable trigger audit_log_append_only;
                            alter table sentinel.audit_chain enable trigger audit_chain_append_only;
                        end if;
                    end
                    $$""");
        }
        owner.commit();
    }
}
