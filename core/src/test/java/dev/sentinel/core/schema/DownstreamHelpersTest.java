package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service's own migration (in schema {@code public}, after Sentinel's) calls
 * {@code sentinel.enable_tenant_rls} with an unqualified table name and gets the same fail-closed
 * isolation as Sentinel's tables; the helper refuses a table without {@code tenant_id}, and the
 * application role cannot call it.
 */
class DownstreamHelpersTest {

    // Not linted: public.settings is a global table without row-level security on purpose, for the
    // helper to refuse (and notes is not audited).
    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/downstream")
            .lint(false).build();

    @Test
    void aServiceTableGetsTheSameFailClosedIsolation() throws SQLException {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        RawScope.system().commit(db.systemDataSource(), c -> {
            for (UUID tenant : new UUID[] {a, b}) {
                Sql.update(c, "insert into sentinel.tenants (id, slug, name) values (?, ?, 'T')", tenant, "t-" + tenant);
                Sql.update(c, "insert into public.notes (tenant_id, id, body) values (?, ?, 'hello')", tenant, UUID.randomUUID());
            }
            return null;
        });

        assertThat(RawScope.system().count(db.systemDataSource(), "select count(*) from public.notes")).isEqualTo(2);
        assertThat(RawScope.none().count(db.appDataSource(), "select count(*) from public.notes")).isZero();
        assertThat(RawScope.tenant(a).count(db.appDataSource(), "select count(*) from public.notes where tenant_id = ?", a))
                .isEqualTo(1);
        assertThat(RawScope.tenant(a).count(db.appDataSource(), "select count(*) from public.notes")).isEqualTo(1);
        Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(a).probe(db.appDataSource(),
                "insert into public.notes (tenant_id, id, body) values (?, ?, 'intrusion')", b, UUID.randomUUID()));
    }

    @Test
    void theHelperRefusesATableWithoutTenantId() {
        SQLException error = Sql.expectFailure("P0001", () -> RawScope.none().rollback(db.ownerDataSource(),
                c -> Sql.strings(c, "select sentinel.enable_tenant_rls('public.settings')")));
        assertThat(error.getMessage()).contains("public.settings has no tenant_id uuid not null column");
    }

    @Test
    void theAppRoleCannotCallTheHelpers() {
        SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.none().rollback(db.appDataSource(),
                c -> Sql.strings(c, "select sentinel.enable_system_rls('public.settings')")));
        assertThat(error.getMessage()).contains("permission denied for function enable_system_rls");
    }
}
