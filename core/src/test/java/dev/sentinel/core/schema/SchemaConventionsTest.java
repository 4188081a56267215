package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Catalog;
import dev.sentinel.core.support.SchemaConventionsChecks;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SchemaConventionsChecks} on the kernel's schema {@code sentinel} (the agency's schema is the
 * agency's {@code dev.sentinel.agency.schema.SchemaConventionsTest}), and the audit trails' grants.
 */
class SchemaConventionsTest extends SchemaConventionsChecks {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    SchemaConventionsTest() {
        super(db, Catalog.KERNEL);
    }

    /**
     * Pools look for due schedules (V13) across tenants. The rescuer's lease index leads with
     * tenant_id since V25, so the tenant's policy leads it too.
     */
    @Override
    protected Set<String> crossTenantIndexes() {
        return Set.of("job_schedules_due_idx");
    }

    @Override
    protected int minimumTenantTables() {
        return 8;
    }

    /**
     * V4 identity, V6 RBAC and resource types, system_audit_log, V9 secret_key_checks, V18
     * table_placements, V32 system_audit_personal_values, V34 tenant_purges and tenant_purge_tables.
     */
    @Override
    protected int globalTableCount() {
        return 15;
    }

    /** Sign-in evidence outlives its user. */
    @Override
    protected List<String> expectedSetNullKeys() {
        return List.of("auth_attempts_user_fkey", "account_lockouts_user_fkey");
    }

    @Override
    protected List<String> secretColumns() {
        return List.of("users.mfa_secret");
    }

    @Override
    protected List<String> softDeleteTables() {
        return List.of("tenants", "users");
    }

    @Test
    void theAppRoleOnlyAppendsToTheAuditTrails() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select t.relname || ' ' || p.privilege from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p(privilege)
                    where n.nspname = 'sentinel' and t.relname like '%audit_log'
                      and has_table_privilege('sentinel_app', t.oid, p.privilege)
                    order by 1""")).describedAs("table-wide: read only; inserts are granted per column")
                    .containsExactly("audit_log SELECT", "system_audit_log SELECT");
            // The audit row's own columns (seq, tx, occurred_at, the actor) are the database's (issue 23).
            assertThat(Sql.strings(c, """
                    select t.relname || '.' || a.attname from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
                    where n.nspname = 'sentinel' and t.relname like '%audit_log'
                      and not has_column_privilege('sentinel_app', t.oid, a.attnum, 'INSERT')
                    order by 1""")).containsExactlyInAnyOrder(
                    "audit_log.seq", "audit_log.tx", "audit_log.occurred_at", "audit_log.actor_type", "audit_log.actor_id",
                    "audit_log.actor_label", "system_audit_log.seq", "system_audit_log.tx", "system_audit_log.occurred_at",
                    "system_audit_log.actor_type", "system_audit_log.actor_id", "system_audit_log.actor_label");
        }
    }
}
