package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.SoftDeleteUniquenessChecks;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SoftDeleteUniquenessChecks} on the kernel's tables, and on a service's table written by
 * Sentinel's conventions (the test service's {@code widgets}); a module's tables are its own
 * module's tests (the agency's {@code dev.sentinel.agency.schema.SoftDeleteUniquenessTest}).
 */
class SoftDeleteUniquenessTest extends SoftDeleteUniquenessChecks<TenantRows> {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    SoftDeleteUniquenessTest() {
        super(db, SchemaFixture::insertTenant);
    }

    @Test
    void aTenantSlugIsReusableAfterSoftDelete() throws SQLException {
        assertKeyReusable(RawScope.system(), "sentinel.tenants", "slug = ?", "reuse-me", "tenants_slug_live_key",
                (c, id, slug) -> Sql.update(c, "insert into sentinel.tenants (id, slug, name) values (?, ?, 'Reuse')", id, slug));
    }

    @Test
    void aServiceTablesNameIsReusableAfterSoftDeleteAndSharedAcrossTenants() throws SQLException {
        Insert widget = (c, id, name) -> Sql.update(c, "insert into public.widgets (tenant_id, id, name)"
                + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?)", id, name);
        assertKeyReusable(RawScope.tenant(a.tenantId()), "public.widgets", "name = ?", "sprocket", "widgets_name_live_key", widget);
        int inB = RawScope.tenant(b.tenantId()).commit(app(), c -> widget.insert(c, UUID.randomUUID(), "sprocket"));
        assertThat(inB).describedAs("the same name, live, in another tenant").isEqualTo(1);
    }

    @Test
    void anEmailIsUniqueAmongLiveUsersRegardlessOfCase() throws SQLException {
        Insert user = (c, id, email) -> Sql.update(c, "insert into sentinel.users (id, email) values (?, ?)", id, email);
        // Upper-case I: lower() in the database, not Java's in the tr_TR locale, decides what is equal.
        assertKeyReusable(RawScope.system(), "sentinel.users", "lower(email) = lower(?)", "Irmak.Ilse@Example.COM",
                "users_email_live_key", user);
        SQLException error = Sql.expectFailure(Sql.UNIQUE_VIOLATION,
                () -> RawScope.system().commit(system(), c -> user.insert(c, UUID.randomUUID(), "irmak.ilse@example.com")));
        assertThat(error.getMessage()).contains("users_email_live_key");
    }
}
