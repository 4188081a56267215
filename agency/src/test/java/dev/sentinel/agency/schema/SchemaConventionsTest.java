package dev.sentinel.agency.schema;

import dev.sentinel.agency.Agency;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.SchemaConventionsChecks;
import dev.sentinel.testing.SentinelDatabase;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's {@link SchemaConventionsChecks} on the agency's schema {@code agency}, as core's
 * {@code dev.sentinel.core.schema.SchemaConventionsTest} checks the kernel's.
 */
class SchemaConventionsTest extends SchemaConventionsChecks {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    SchemaConventionsTest() {
        super(db, Agency.SCHEMA);
    }

    @Override
    protected int minimumTenantTables() {
        return 16;
    }

    /** Every table of the agency's belongs to a tenant. */
    @Override
    protected int globalTableCount() {
        return 0;
    }

    @Override
    protected List<String> secretColumns() {
        return List.of("integrations.access_token", "integrations.refresh_token");
    }

    @Override
    protected List<String> softDeleteTables() {
        return List.of("clients", "contracts", "invoices", "kb_documents", "leads", "media_assets", "projects", "services");
    }
}
