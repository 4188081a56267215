package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.Globals;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Natural keys are unique among live rows only: a soft-deleted row frees its slug (or e-mail
 * address, or code) for a new row, however many soft-deleted duplicates exist, while a second live
 * row with the same key still fails. The kernel's tables here, and a service's table written by
 * Sentinel's conventions (the test service's {@code widgets}); a module's tables in its own module's
 * tests (the agency's {@code dev.sentinel.agency.schema.SoftDeleteUniquenessTest}).
 */
class SoftDeleteUniquenessTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static TenantRows a;
    private static TenantRows b;

    @BeforeAll
    static void insertTwoTenants() throws SQLException {
        Globals globals = SchemaFixture.insertGlobals(db.appDataSource());
        a = SchemaFixture.insertTenant(db.appDataSource(), "tenant-a", globals);
        b = SchemaFixture.insertTenant(db.appDataSource(), "tenant-b", globals);
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
                () -> RawScope.system().commit(app(), c -> user.insert(c, UUID.randomUUID(), "irmak.ilse@example.com")));
        assertThat(error.getMessage()).contains("users_email_live_key");
    }

    /**
     * Inserts a row with the key, soft-deletes it, does that once more, inserts a live row with the
     * key, and checks that a second live row fails on the named unique index.
     *
     * @param table the table, schema-qualified
     * @param keyPredicate SQL that selects the rows with the key, with one {@code ?} for it
     */
    private static void assertKeyReusable(RawScope scope, String table, String keyPredicate, String key, String index,
            Insert insert) throws SQLException {
        for (int round = 0; round < 2; round++) {
            UUID id = UUID.randomUUID();
            scope.commit(app(), c -> insert.insert(c, id, key));
            int deleted = scope.commit(app(), c -> Sql.update(c, "update " + table
                    + " set deleted_at = now(), deleted_by = ?, delete_reason = 'test' where id = ?", UUID.randomUUID(), id));
            assertThat(deleted).isEqualTo(1);
        }
        int live = scope.commit(app(), c -> insert.insert(c, UUID.randomUUID(), key));
        assertThat(live).describedAs("a live row next to two soft-deleted ones").isEqualTo(1);

        SQLException error = Sql.expectFailure(Sql.UNIQUE_VIOLATION,
                () -> scope.commit(app(), c -> insert.insert(c, UUID.randomUUID(), key)));
        assertThat(error.getMessage()).contains(index);

        String sameKey = " from " + table + " where " + keyPredicate;
        long all = scope.count(app(), "select count(*)" + sameKey, key);
        long liveRows = scope.count(app(), "select count(*)" + sameKey + " and deleted_at is null", key);
        assertThat(all).isEqualTo(3);
        assertThat(liveRows).isEqualTo(1);
    }

    private static DataSource app() {
        return db.appDataSource();
    }

    /** Inserts one row with a key. */
    @FunctionalInterface
    private interface Insert {
        int insert(Connection connection, UUID id, String key) throws SQLException;
    }
}
