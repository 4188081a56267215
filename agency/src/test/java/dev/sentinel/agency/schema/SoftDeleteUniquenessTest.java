package dev.sentinel.agency.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.schema.AgencySchemaFixture.TenantRowsWithProject;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.Globals;
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
 * row with the same key still fails. The agency's tables; the kernel's are core's
 * {@code dev.sentinel.core.schema.SoftDeleteUniquenessTest}.
 */
class SoftDeleteUniquenessTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static TenantRowsWithProject a;
    private static TenantRowsWithProject b;

    @BeforeAll
    static void insertTwoTenants() throws SQLException {
        Globals globals = SchemaFixture.insertGlobals(db.appDataSource());
        a = AgencySchemaFixture.insertTenant(db.appDataSource(), "tenant-a", globals);
        b = AgencySchemaFixture.insertTenant(db.appDataSource(), "tenant-b", globals);
    }

    @Test
    void aProjectSlugIsReusableAfterSoftDeleteAndSharedAcrossTenants() throws SQLException {
        Insert project = (c, id, slug) -> Sql.update(c, "insert into agency.projects (tenant_id, id, slug, name)"
                + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, 'P')", id, slug);
        assertKeyReusable(RawScope.tenant(a.tenantId()), "projects", "slug = ?", "campaign", "projects_slug_live_key", project);
        int inB = RawScope.tenant(b.tenantId()).commit(app(), c -> project.insert(c, UUID.randomUUID(), "campaign"));
        assertThat(inB).describedAs("the same slug, live, in another tenant").isEqualTo(1);
    }

    @Test
    void aKnowledgeBaseSlugIsReusableAfterSoftDelete() throws SQLException {
        assertKeyReusable(RawScope.tenant(a.tenantId()), "kb_documents", "slug = ?", "faq", "kb_documents_slug_live_key",
                (c, id, slug) -> Sql.update(c, "insert into agency.kb_documents (tenant_id, id, slug, title)"
                        + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, 'FAQ')", id, slug));
    }

    @Test
    void aServiceCodeIsReusableAfterSoftDelete() throws SQLException {
        assertKeyReusable(RawScope.tenant(a.tenantId()), "services", "code = ?", "CONSULT", "services_code_live_key",
                (c, id, code) -> Sql.update(c, "insert into agency.services (tenant_id, id, code, name, unit_price, currency)"
                        + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, 'Consulting', 120, 'EUR')", id, code));
    }

    /**
     * Inserts a row with the key, soft-deletes it, does that once more, inserts a live row with the
     * key, and checks that a second live row fails on the named unique index.
     *
     * @param keyPredicate SQL that selects the rows with the key, with one {@code ?} for it
     */
    private static void assertKeyReusable(RawScope scope, String table, String keyPredicate, String key, String index,
            Insert insert) throws SQLException {
        for (int round = 0; round < 2; round++) {
            UUID id = UUID.randomUUID();
            scope.commit(app(), c -> insert.insert(c, id, key));
            int deleted = scope.commit(app(), c -> Sql.update(c, "update agency." + table
                    + " set deleted_at = now(), deleted_by = ?, delete_reason = 'test' where id = ?", UUID.randomUUID(), id));
            assertThat(deleted).isEqualTo(1);
        }
        int live = scope.commit(app(), c -> insert.insert(c, UUID.randomUUID(), key));
        assertThat(live).describedAs("a live row next to two soft-deleted ones").isEqualTo(1);

        SQLException error = Sql.expectFailure(Sql.UNIQUE_VIOLATION,
                () -> scope.commit(app(), c -> insert.insert(c, UUID.randomUUID(), key)));
        assertThat(error.getMessage()).contains(index);

        String sameKey = " from agency." + table + " where " + keyPredicate;
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
