package dev.sentinel.agency.schema;

import static dev.sentinel.agency.db.Tables.CLIENTS;
import static dev.sentinel.agency.db.Tables.CONTRACTS;
import static dev.sentinel.agency.db.Tables.CONTRACT_VERSIONS;
import static dev.sentinel.agency.db.Tables.ENVIRONMENTS;
import static dev.sentinel.agency.db.Tables.INTEGRATIONS;
import static dev.sentinel.agency.db.Tables.INVOICES;
import static dev.sentinel.agency.db.Tables.INVOICE_ITEMS;
import static dev.sentinel.agency.db.Tables.INVOICE_SERIES;
import static dev.sentinel.agency.db.Tables.KB_DOCUMENTS;
import static dev.sentinel.agency.db.Tables.LEADS;
import static dev.sentinel.agency.db.Tables.LEDGER_ENTRIES;
import static dev.sentinel.agency.db.Tables.MEDIA_ASSETS;
import static dev.sentinel.agency.db.Tables.PROJECTS;
import static dev.sentinel.agency.db.Tables.PROJECT_ASSIGNMENTS;
import static dev.sentinel.agency.db.Tables.SERVICES;
import static dev.sentinel.agency.db.Tables.TIME_ENTRIES;
import static dev.sentinel.core.db.Tables.API_KEYS;
import static dev.sentinel.core.db.Tables.TENANT_ROLE_ASSIGNMENTS;

import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.agency.db.enums.BodyFormat;
import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.agency.db.enums.IntegrationStatus;
import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.db.enums.KbStatus;
import dev.sentinel.agency.db.enums.LeadSource;
import dev.sentinel.agency.db.enums.LeadStatus;
import dev.sentinel.agency.db.enums.LedgerEntryType;
import dev.sentinel.agency.db.enums.MediaVisibility;
import dev.sentinel.agency.db.enums.ProjectStatus;
import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.db.enums.SignatureState;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture.Globals;
import dev.sentinel.core.support.SchemaFixture.InsertedTenant;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.SchemaFixture;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.InsertSetMoreStep;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Inserts a valid row graph of the agency's tables through the generated jOOQ classes, in the system
 * scope as the application role: per tenant, at least one row in every tenant table of schema
 * {@code agency}, on top of the kernel's tenant, members and global rows of core's
 * {@link SchemaFixture}. Written against the generated classes, so a schema change that breaks the
 * fixture breaks the build. The tenant tests check that every tenant table has rows for each tenant,
 * so a table added later without fixture rows fails them instead of passing on an empty table.
 */
final class AgencySchemaFixture {

    /**
     * One tenant's rows that tests refer to.
     *
     * @param tenantId the tenant
     * @param ownerId the user who owns the tenant (member only of it)
     * @param memberId a second member (member only of it)
     * @param projectId its project
     */
    record TenantRowsWithProject(UUID tenantId, UUID ownerId, UUID memberId, UUID projectId) implements InsertedTenant {
    }

    private AgencySchemaFixture() {
    }

    /**
     * Inserts a tenant with its members (core's {@link SchemaFixture#insertTenantAndMembers}) and at
     * least one row of it in every tenant table of schema {@code agency}, and an API key and a role
     * grant narrowed to its project.
     *
     * @param app the application role's data source (of a database with the agency's migrations)
     * @param slug the tenant's slug, also used to make its users' e-mail addresses unique
     * @param globals the global rows of {@link SchemaFixture#insertGlobals}; the shared user becomes a guest member
     * @return the ids tests refer to
     * @throws SQLException if an insert fails
     */
    static TenantRowsWithProject insertTenant(DataSource app, String slug, Globals globals) throws SQLException {
        return RawScope.system().commit(app, connection -> {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            TenantRows kernel = SchemaFixture.insertTenantAndMembers(dsl, slug, globals);
            UUID tenant = kernel.tenantId();
            UUID owner = kernel.ownerId();
            UUID member = kernel.memberId();

            tenantRow(dsl, ENVIRONMENTS, tenant, UUID.randomUUID())
                    .set(ENVIRONMENTS.KEY, "production")
                    .set(ENVIRONMENTS.NAME, "Production")
                    .set(ENVIRONMENTS.KIND, EnvironmentKind.PRODUCTION)
                    .set(ENVIRONMENTS.URL, "https://" + slug + ".example")
                    .execute();

            UUID project = UUID.randomUUID();
            tenantRow(dsl, PROJECTS, tenant, project)
                    .set(PROJECTS.SLUG, "website")
                    .set(PROJECTS.NAME, "Website relaunch")
                    .set(PROJECTS.STATUS, ProjectStatus.ACTIVE)
                    .set(PROJECTS.STARTS_ON, LocalDate.of(2026, 1, 5))
                    .set(PROJECTS.BUDGET_AMOUNT, new BigDecimal("25000.00"))
                    .set(PROJECTS.CURRENCY, "EUR")
                    .execute();
            dsl.insertInto(PROJECT_ASSIGNMENTS, PROJECT_ASSIGNMENTS.TENANT_ID, PROJECT_ASSIGNMENTS.PROJECT_ID,
                            PROJECT_ASSIGNMENTS.USER_ID, PROJECT_ASSIGNMENTS.ROLE)
                    .values(tenant, project, owner, AssignmentRole.LEAD)
                    .values(tenant, project, member, AssignmentRole.MEMBER)
                    .execute();

            UUID service = UUID.randomUUID();
            tenantRow(dsl, SERVICES, tenant, service)
                    .set(SERVICES.CODE, "DEV")
                    .set(SERVICES.NAME, "Development")
                    .set(SERVICES.UNIT, ServiceUnit.HOUR)
                    .set(SERVICES.UNIT_PRICE, new BigDecimal("95.00"))
                    .set(SERVICES.CURRENCY, "EUR")
                    .set(SERVICES.TAX_RATE, new BigDecimal("19.00"))
                    .execute();
            tenantRow(dsl, TIME_ENTRIES, tenant, UUID.randomUUID())
                    .set(TIME_ENTRIES.PROJECT_ID, project)
                    .set(TIME_ENTRIES.USER_ID, member)
                    .set(TIME_ENTRIES.SERVICE_ID, service)
                    .set(TIME_ENTRIES.WORK_DATE, LocalDate.of(2026, 3, 2))
                    .set(TIME_ENTRIES.DURATION_MINUTES, 90)
                    .set(TIME_ENTRIES.DESCRIPTION, "Navigation")
                    .execute();

            // A key and a grant narrowed to the project (resource type project, registered by V1__projects).
            dsl.insertInto(API_KEYS, API_KEYS.TENANT_ID, API_KEYS.ID, API_KEYS.RESOURCE_TYPE, API_KEYS.RESOURCE_ID, API_KEYS.NAME,
                            API_KEYS.KEY_PREFIX, API_KEYS.KEY_HASH)
                    .values(tenant, UUID.randomUUID(), "project", project, "Deploy hook", "spk_" + SchemaFixture.token(6),
                            SchemaFixture.sha256(slug + " project key"))
                    .execute();
            dsl.insertInto(TENANT_ROLE_ASSIGNMENTS, TENANT_ROLE_ASSIGNMENTS.TENANT_ID, TENANT_ROLE_ASSIGNMENTS.ID,
                            TENANT_ROLE_ASSIGNMENTS.USER_ID, TENANT_ROLE_ASSIGNMENTS.ROLE_ID, TENANT_ROLE_ASSIGNMENTS.RESOURCE_TYPE,
                            TENANT_ROLE_ASSIGNMENTS.RESOURCE_ID)
                    .values(tenant, UUID.randomUUID(), member, globals.tenantRoleId(), "project", project)
                    .execute();

            UUID client = UUID.randomUUID();
            tenantRow(dsl, CLIENTS, tenant, client)
                    .set(CLIENTS.NAME, "Globex Corporation")
                    .set(CLIENTS.BILLING_EMAIL, "ap@globex.example")
                    .set(CLIENTS.ADDRESS_LINE1, "1 Main Street")
                    .set(CLIENTS.POSTAL_CODE, "10115")
                    .set(CLIENTS.CITY, "Berlin")
                    .set(CLIENTS.COUNTRY_CODE, "DE")
                    .set(CLIENTS.TAX_ID, "DE123456789")
                    .execute();

            // A draft in a series of this tenant's own, an invoice issued the way the runtime issues
            // (a draft with its line, then numbered with its frozen totals: V19's guard checks the issue),
            // and a credit note drafted against it.
            UUID draft = UUID.randomUUID();
            UUID issued = UUID.randomUUID();
            String letters = slug.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
            String ownSeries = letters.substring(0, Math.min(10, letters.length()));
            // Raw SQL names existing series (tx.attach(Invoices.class) creates them on first use).
            dsl.insertInto(INVOICE_SERIES, INVOICE_SERIES.TENANT_ID, INVOICE_SERIES.SERIES, INVOICE_SERIES.KIND)
                    .values(tenant, ownSeries, InvoiceKind.INVOICE)
                    .values(tenant, "INV", InvoiceKind.INVOICE)
                    .values(tenant, "CR", InvoiceKind.CREDIT_NOTE)
                    .execute();
            tenantRow(dsl, INVOICES, tenant, draft)
                    .set(INVOICES.CLIENT_ID, client)
                    .set(INVOICES.PROJECT_ID, project)
                    .set(INVOICES.SERIES, ownSeries)
                    .set(INVOICES.CURRENCY, "EUR")
                    .execute();
            tenantRow(dsl, INVOICES, tenant, issued)
                    .set(INVOICES.CLIENT_ID, client)
                    .set(INVOICES.DUE_ON, LocalDate.of(2026, 4, 1))
                    .set(INVOICES.CURRENCY, "EUR")
                    .execute();
            dsl.insertInto(INVOICE_ITEMS, INVOICE_ITEMS.TENANT_ID, INVOICE_ITEMS.ID, INVOICE_ITEMS.INVOICE_ID,
                            INVOICE_ITEMS.POSITION, INVOICE_ITEMS.SERVICE_ID, INVOICE_ITEMS.DESCRIPTION,
                            INVOICE_ITEMS.QUANTITY, INVOICE_ITEMS.UNIT_PRICE, INVOICE_ITEMS.LINE_TOTAL)
                    .values(tenant, UUID.randomUUID(), draft, 1, service, "Design work",
                            new BigDecimal("12.5"), new BigDecimal("95.00"), new BigDecimal("1187.50"))
                    .values(tenant, UUID.randomUUID(), issued, 1, null, "Hosting",
                            new BigDecimal("1"), new BigDecimal("40.00"), new BigDecimal("40.00"))
                    .execute();
            // The number comes from the series' counter, which only sentinel.next_number moves (kernel V14),
            // in the tenant's scope, and the issue must carry it (agency V6): as issue() does. SET LOCAL, not
            // set_config: on Citus only the statement reaches the worker where the issue's guard reads the counter.
            dsl.execute("set local sentinel.tenant_id = '" + tenant + "'");
            dsl.execute("select sentinel.next_number('agency.invoices:INV', '2026')");
            dsl.update(INVOICES)
                    .set(INVOICES.STATUS, InvoiceStatus.ISSUED)
                    .set(INVOICES.NUMBER, "INV-2026-000001")
                    .set(INVOICES.SEQUENCE_YEAR, 2026)
                    .set(INVOICES.SEQUENCE_NUMBER, 1)
                    .set(INVOICES.ISSUED_AT, SchemaFixture.T0)
                    .set(INVOICES.ISSUED_ON, SchemaFixture.T0.atZoneSameInstant(java.time.ZoneId.of("Europe/Berlin")).toLocalDate())
                    .set(INVOICES.NET_TOTAL, new BigDecimal("40.00"))
                    .set(INVOICES.TAX_TOTAL, BigDecimal.ZERO)
                    .set(INVOICES.GROSS_TOTAL, new BigDecimal("40.00"))
                    .where(INVOICES.TENANT_ID.eq(tenant), INVOICES.ID.eq(issued))
                    .execute();
            dsl.execute("set local sentinel.tenant_id = ''");
            tenantRow(dsl, INVOICES, tenant, UUID.randomUUID())
                    .set(INVOICES.CLIENT_ID, client)
                    .set(INVOICES.KIND, InvoiceKind.CREDIT_NOTE)
                    .set(INVOICES.SERIES, "CR")
                    .set(INVOICES.CORRECTS_INVOICE_ID, issued)
                    .set(INVOICES.CURRENCY, "EUR")
                    .execute();
            tenantRow(dsl, LEDGER_ENTRIES, tenant, UUID.randomUUID())
                    .set(LEDGER_ENTRIES.ENTRY_TYPE, LedgerEntryType.INCOME)
                    .set(LEDGER_ENTRIES.CATEGORY, "services")
                    .set(LEDGER_ENTRIES.AMOUNT, new BigDecimal("40.00"))
                    .set(LEDGER_ENTRIES.CURRENCY, "EUR")
                    .set(LEDGER_ENTRIES.OCCURRED_AT, SchemaFixture.T0.plusDays(3))
                    .set(LEDGER_ENTRIES.INVOICE_ID, issued)
                    .execute();

            // A draft gets its version first; sending it then names that version (V22's state machine).
            UUID contract = UUID.randomUUID();
            tenantRow(dsl, CONTRACTS, tenant, contract)
                    .set(CONTRACTS.CLIENT_ID, client)
                    .set(CONTRACTS.PROJECT_ID, project)
                    .set(CONTRACTS.TITLE, "Master services agreement")
                    .execute();
            String body = "# Master services agreement\n";
            tenantRow(dsl, CONTRACT_VERSIONS, tenant, UUID.randomUUID())
                    .set(CONTRACT_VERSIONS.CONTRACT_ID, contract)
                    .set(CONTRACT_VERSIONS.VERSION_NUMBER, 1)
                    .set(CONTRACT_VERSIONS.BODY, body)
                    .set(CONTRACT_VERSIONS.BODY_FORMAT, BodyFormat.MARKDOWN)
                    .set(CONTRACT_VERSIONS.CONTENT_SHA256, SchemaFixture.sha256(body))
                    .execute();
            dsl.update(CONTRACTS)
                    .set(CONTRACTS.SIGNATURE_STATUS, SignatureState.SENT)
                    .set(CONTRACTS.SIGNATURE_PROVIDER, SignatureProvider.DOCUSIGN)
                    .set(CONTRACTS.SIGNATURE_ENVELOPE_ID, "env-" + SchemaFixture.token(8))
                    .set(CONTRACTS.SENT_VERSION_NUMBER, 1)
                    .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.ID.eq(contract)))
                    .execute();

            tenantRow(dsl, LEADS, tenant, UUID.randomUUID())
                    .set(LEADS.NAME, "Hank Scorpio")
                    .set(LEADS.EMAIL, "hank@globex.example")
                    .set(LEADS.SOURCE, LeadSource.REFERRAL)
                    .set(LEADS.STATUS, LeadStatus.WON)
                    .set(LEADS.ASSIGNED_TO, member)
                    .set(LEADS.CLIENT_ID, client)
                    .execute();
            tenantRow(dsl, KB_DOCUMENTS, tenant, UUID.randomUUID())
                    .set(KB_DOCUMENTS.SLUG, "onboarding")
                    .set(KB_DOCUMENTS.TITLE, "Onboarding")
                    .set(KB_DOCUMENTS.BODY, "Welcome.")
                    .set(KB_DOCUMENTS.STATUS, KbStatus.PUBLISHED)
                    .set(KB_DOCUMENTS.PUBLISHED_AT, SchemaFixture.T0)
                    .set(KB_DOCUMENTS.TAGS, new String[] {"howto", "people"})
                    .set(KB_DOCUMENTS.CREATED_BY, owner)
                    .execute();
            tenantRow(dsl, MEDIA_ASSETS, tenant, UUID.randomUUID())
                    .set(MEDIA_ASSETS.PROJECT_ID, project)
                    .set(MEDIA_ASSETS.FILE_NAME, "logo.png")
                    .set(MEDIA_ASSETS.CONTENT_TYPE, "image/png")
                    .set(MEDIA_ASSETS.BYTE_SIZE, 2048L)
                    .set(MEDIA_ASSETS.STORAGE_KEY, "uploads/logo.png")
                    .set(MEDIA_ASSETS.VISIBILITY, MediaVisibility.PORTAL)
                    .execute();
            tenantRow(dsl, INTEGRATIONS, tenant, UUID.randomUUID())
                    .set(INTEGRATIONS.PROVIDER, "google")
                    .set(INTEGRATIONS.STATUS, IntegrationStatus.CONNECTED)
                    // The generated fields are typed Secret; the fixture writes the stored text itself.
                    .set(DSL.field(INTEGRATIONS.ACCESS_TOKEN.getUnqualifiedName(), String.class), SchemaFixture.fakeCiphertext())
                    .set(DSL.field(INTEGRATIONS.REFRESH_TOKEN.getUnqualifiedName(), String.class), SchemaFixture.fakeCiphertext())
                    .set(INTEGRATIONS.SCOPES, JSONB.valueOf("[\"calendar.readonly\"]"))
                    .set(INTEGRATIONS.CONNECTED_AT, SchemaFixture.T0)
                    .execute();

            return new TenantRowsWithProject(tenant, owner, member, project);
        });
    }

    /** A row of a tenant table, keyed (tenant_id, id) as every one of the agency's is; the caller sets the rest. */
    private static <R extends Record> InsertSetMoreStep<R> tenantRow(DSLContext dsl, Table<R> table, UUID tenant, UUID id) {
        return dsl.insertInto(table).set(table.field("tenant_id", UUID.class), tenant).set(table.field("id", UUID.class), id);
    }
}
