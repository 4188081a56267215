package dev.sentinel.agency.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.schema.AgencySchemaFixture.TenantRowsWithProject;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SoftDeleteUniquenessChecks;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's {@link SoftDeleteUniquenessChecks} on the agency's tables; the kernel's are core's
 * {@code dev.sentinel.core.schema.SoftDeleteUniquenessTest}.
 */
class SoftDeleteUniquenessTest extends SoftDeleteUniquenessChecks<TenantRowsWithProject> {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    SoftDeleteUniquenessTest() {
        super(db, AgencySchemaFixture::insertTenant);
    }

    @Test
    void aProjectSlugIsReusableAfterSoftDeleteAndSharedAcrossTenants() throws SQLException {
        Insert project = (c, id, slug) -> Sql.update(c, "insert into agency.projects (tenant_id, id, slug, name)"
                + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, 'P')", id, slug);
        assertKeyReusable(RawScope.tenant(a.tenantId()), "agency.projects", "slug = ?", "campaign", "projects_slug_live_key", project);
        int inB = RawScope.tenant(b.tenantId()).commit(app(), c -> project.insert(c, UUID.randomUUID(), "campaign"));
        assertThat(inB).describedAs("the same slug, live, in another tenant").isEqualTo(1);
    }

    @Test
    void aKnowledgeBaseSlugIsReusableAfterSoftDelete() throws SQLException {
        assertKeyReusable(RawScope.tenant(a.tenantId()), "agency.kb_documents", "slug = ?", "faq", "kb_documents_slug_live_key",
                (c, id, slug) -> Sql.update(c, "insert into agency.kb_documents (tenant_id, id, slug, title)"
                        + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, 'FAQ')", id, slug));
    }

    @Test
    void aServiceCodeIsReusableAfterSoftDelete() throws SQLException {
        assertKeyReusable(RawScope.tenant(a.tenantId()), "agency.services", "code = ?", "CONSULT", "services_code_live_key",
                (c, id, code) -> Sql.update(c, "insert into agency.services (tenant_id, id, code, name, unit_price, currency)"
                        + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, 'Consulting', 120, 'EUR')", id, code));
    }
}
