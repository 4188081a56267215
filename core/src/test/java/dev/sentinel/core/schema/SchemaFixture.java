package dev.sentinel.core.schema;

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
import static dev.sentinel.core.db.Tables.ACCOUNT_LOCKOUTS;
import static dev.sentinel.core.db.Tables.API_KEYS;
import static dev.sentinel.core.db.Tables.AUDIT_CHAIN;
import static dev.sentinel.core.db.Tables.AUDIT_LOG;
import static dev.sentinel.core.db.Tables.AUTH_ATTEMPTS;
import static dev.sentinel.core.db.Tables.GLOBAL_API_KEYS;
import static dev.sentinel.core.db.Tables.GLOBAL_ROLE_ASSIGNMENTS;
import static dev.sentinel.core.db.Tables.INVOICE_SEQUENCES;
import static dev.sentinel.core.db.Tables.JOBS;
import static dev.sentinel.core.db.Tables.PERMISSIONS;
import static dev.sentinel.core.db.Tables.REFRESH_TOKENS;
import static dev.sentinel.core.db.Tables.ROLES;
import static dev.sentinel.core.db.Tables.ROLE_PERMISSIONS;
import static dev.sentinel.core.db.Tables.SECRET_KEY_CHECKS;
import static dev.sentinel.core.db.Tables.SYSTEM_AUDIT_LOG;
import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.core.db.Tables.TENANT_ROLE_ASSIGNMENTS;
import static dev.sentinel.core.db.Tables.USERS;

import dev.sentinel.agency.billing.Invoices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Inserts a valid row graph through the generated jOOQ classes, in the system scope as the
 * application role: the global rows once, then, per tenant, at least one row in every tenant table.
 * Written against the generated classes, so a schema change that breaks the fixture breaks the
 * build. The tenant tests check that every tenant table has rows for each tenant, so a table added
 * later without fixture rows fails them instead of passing on an empty table.
 */
final class SchemaFixture {

    /** A fixed instant (the JVM and the server run in different, non-UTC zones). */
    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-03-02T09:30:00+01:00");

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The global rows.
     *
     * @param tenantRoleId a role of scope tenant
     * @param globalRoleId a role of scope global
     * @param sharedUserId a user who becomes a member of every tenant the fixture creates
     * @param loneUserId a user who is a member of no tenant
     */
    record Globals(UUID tenantRoleId, UUID globalRoleId, UUID sharedUserId, UUID loneUserId) {
    }

    /**
     * One tenant's rows that tests refer to.
     *
     * @param tenantId the tenant
     * @param ownerId the user who owns the tenant (member only of it)
     * @param memberId a second member (member only of it)
     * @param projectId its project
     */
    record TenantRows(UUID tenantId, UUID ownerId, UUID memberId, UUID projectId) {
    }

    private SchemaFixture() {
    }

    /**
     * Inserts roles, a permission, users (a shared one and a lone one), a global role assignment,
     * sign-in evidence, a platform API key and a system audit row.
     *
     * @param app the application role's data source
     * @return the ids that tenants refer to
     * @throws SQLException if an insert fails
     */
    static Globals insertGlobals(DataSource app) throws SQLException {
        return RawScope.system().commit(app, connection -> {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            UUID tenantRole = UUID.randomUUID();
            UUID globalRole = UUID.randomUUID();
            UUID permission = UUID.randomUUID();
            dsl.insertInto(ROLES, ROLES.ID, ROLES.KEY, ROLES.NAME, ROLES.SCOPE)
                    .values(tenantRole, "tenant_admin", "Tenant administrator", "tenant")
                    .values(globalRole, "platform_operator", "Platform operator", "global")
                    .execute();
            dsl.insertInto(PERMISSIONS, PERMISSIONS.ID, PERMISSIONS.KEY, PERMISSIONS.DESCRIPTION)
                    .values(permission, "fixture:issue", "Issue a fixture")
                    .execute();
            dsl.insertInto(ROLE_PERMISSIONS, ROLE_PERMISSIONS.ROLE_ID, ROLE_PERMISSIONS.PERMISSION_ID)
                    .values(tenantRole, permission)
                    .execute();

            UUID shared = user(dsl, "shared@example.com");
            UUID lone = user(dsl, "lone@example.com");
            UUID operator = user(dsl, "operator@example.com");
            dsl.insertInto(GLOBAL_ROLE_ASSIGNMENTS)
                    .set(GLOBAL_ROLE_ASSIGNMENTS.ID, UUID.randomUUID())
                    .set(GLOBAL_ROLE_ASSIGNMENTS.USER_ID, operator)
                    .set(GLOBAL_ROLE_ASSIGNMENTS.ROLE_ID, globalRole)
                    .execute();

            dsl.insertInto(AUTH_ATTEMPTS, AUTH_ATTEMPTS.ID, AUTH_ATTEMPTS.EMAIL, AUTH_ATTEMPTS.USER_ID,
                            AUTH_ATTEMPTS.IP_ADDRESS, AUTH_ATTEMPTS.SUCCEEDED, AUTH_ATTEMPTS.FAILURE_REASON)
                    .values(UUID.randomUUID(), "operator@example.com", operator, "192.0.2.10", true, null)
                    .values(UUID.randomUUID(), "nobody@example.com", null, "2001:db8::1", false, "unknown_user")
                    .execute();
            dsl.insertInto(SECRET_KEY_CHECKS)
                    .set(SECRET_KEY_CHECKS.KEY_ID, "test")
                    .set(SECRET_KEY_CHECKS.KEY_CHECK, fakeCiphertext())
                    .execute();
            dsl.insertInto(ACCOUNT_LOCKOUTS)
                    .set(ACCOUNT_LOCKOUTS.ID, UUID.randomUUID())
                    .set(ACCOUNT_LOCKOUTS.EMAIL, "nobody@example.com")
                    .set(ACCOUNT_LOCKOUTS.REASON, "too_many_attempts")
                    .set(ACCOUNT_LOCKOUTS.LOCKED_AT, T0)
                    .set(ACCOUNT_LOCKOUTS.LOCKED_UNTIL, T0.plusMinutes(15))
                    .execute();
            dsl.insertInto(GLOBAL_API_KEYS)
                    .set(GLOBAL_API_KEYS.ID, UUID.randomUUID())
                    .set(GLOBAL_API_KEYS.NAME, "billing exporter")
                    .set(GLOBAL_API_KEYS.KEY_PREFIX, "sgk_" + token(6))
                    .set(GLOBAL_API_KEYS.KEY_HASH, sha256("global key"))
                    .set(GLOBAL_API_KEYS.SCOPES, new String[] {"invoices.read"})
                    .execute();
            dsl.insertInto(SYSTEM_AUDIT_LOG)
                    .set(SYSTEM_AUDIT_LOG.ID, UUID.randomUUID())
                    .set(SYSTEM_AUDIT_LOG.ACTOR_TYPE, "system")
                    .set(SYSTEM_AUDIT_LOG.ACTION, "roles.create")
                    .set(SYSTEM_AUDIT_LOG.ENTITY_TYPE, "roles")
                    .set(SYSTEM_AUDIT_LOG.ENTITY_ID, tenantRole)
                    .execute();
            return new Globals(tenantRole, globalRole, shared, lone);
        });
    }

    /**
     * Inserts a tenant and at least one row of it in every tenant table.
     *
     * @param app the application role's data source
     * @param slug the tenant's slug, also used to make its users' e-mail addresses unique
     * @param globals the global rows; the shared user becomes a guest member
     * @return the ids tests refer to
     * @throws SQLException if an insert fails
     */
    static TenantRows insertTenant(DataSource app, String slug, Globals globals) throws SQLException {
        return RawScope.system().commit(app, connection -> {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            UUID tenant = UUID.randomUUID();
            dsl.insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME, TENANTS.TIME_ZONE)
                    .values(tenant, slug, "Tenant " + slug, "Europe/Berlin")
                    .execute();

            UUID owner = user(dsl, "owner@" + slug + ".example");
            UUID member = user(dsl, "member@" + slug + ".example");
            dsl.insertInto(TENANT_MEMBERS, TENANT_MEMBERS.TENANT_ID, TENANT_MEMBERS.USER_ID, TENANT_MEMBERS.ROLE,
                            TENANT_MEMBERS.SEAT_TYPE)
                    .values(tenant, owner, "owner", "enterprise")
                    .values(tenant, member, "member", "pro")
                    .values(tenant, globals.sharedUserId(), "guest", "free_beta")
                    .execute();

            dsl.insertInto(ENVIRONMENTS)
                    .set(ENVIRONMENTS.TENANT_ID, tenant)
                    .set(ENVIRONMENTS.ID, UUID.randomUUID())
                    .set(ENVIRONMENTS.KEY, "production")
                    .set(ENVIRONMENTS.NAME, "Production")
                    .set(ENVIRONMENTS.KIND, "production")
                    .set(ENVIRONMENTS.URL, "https://" + slug + ".example")
                    .execute();

            UUID project = UUID.randomUUID();
            dsl.insertInto(PROJECTS)
                    .set(PROJECTS.TENANT_ID, tenant)
                    .set(PROJECTS.ID, project)
                    .set(PROJECTS.SLUG, "website")
                    .set(PROJECTS.NAME, "Website relaunch")
                    .set(PROJECTS.STATUS, "active")
                    .set(PROJECTS.STARTS_ON, LocalDate.of(2026, 1, 5))
                    .set(PROJECTS.BUDGET_AMOUNT, new BigDecimal("25000.00"))
                    .set(PROJECTS.CURRENCY, "EUR")
                    .execute();
            dsl.insertInto(PROJECT_ASSIGNMENTS, PROJECT_ASSIGNMENTS.TENANT_ID, PROJECT_ASSIGNMENTS.PROJECT_ID,
                            PROJECT_ASSIGNMENTS.USER_ID, PROJECT_ASSIGNMENTS.ROLE)
                    .values(tenant, project, owner, "lead")
                    .values(tenant, project, member, "member")
                    .execute();

            UUID service = UUID.randomUUID();
            dsl.insertInto(SERVICES)
                    .set(SERVICES.TENANT_ID, tenant)
                    .set(SERVICES.ID, service)
                    .set(SERVICES.CODE, "DEV")
                    .set(SERVICES.NAME, "Development")
                    .set(SERVICES.UNIT, "hour")
                    .set(SERVICES.UNIT_PRICE, new BigDecimal("95.00"))
                    .set(SERVICES.CURRENCY, "EUR")
                    .set(SERVICES.TAX_RATE, new BigDecimal("19.00"))
                    .execute();
            dsl.insertInto(TIME_ENTRIES)
                    .set(TIME_ENTRIES.TENANT_ID, tenant)
                    .set(TIME_ENTRIES.ID, UUID.randomUUID())
                    .set(TIME_ENTRIES.PROJECT_ID, project)
                    .set(TIME_ENTRIES.USER_ID, member)
                    .set(TIME_ENTRIES.SERVICE_ID, service)
                    .set(TIME_ENTRIES.WORK_DATE, LocalDate.of(2026, 3, 2))
                    .set(TIME_ENTRIES.DURATION_MINUTES, 90)
                    .set(TIME_ENTRIES.DESCRIPTION, "Navigation")
                    .execute();

            dsl.insertInto(API_KEYS, API_KEYS.TENANT_ID, API_KEYS.ID, API_KEYS.PROJECT_ID, API_KEYS.NAME,
                            API_KEYS.KEY_PREFIX, API_KEYS.KEY_HASH)
                    .values(tenant, UUID.randomUUID(), null, "CI", "stk_" + token(6), sha256(slug + " tenant key"))
                    .values(tenant, UUID.randomUUID(), project, "Deploy hook", "spk_" + token(6), sha256(slug + " project key"))
                    .execute();

            UUID family = UUID.randomUUID();
            
            dsl.insertInto(REFRESH_TOKENS)
                    .set(REFRESH_TOKENS.TENANT_ID, tenant)
                    .set(REFRESH_TOKENS.ID, UUID.randomUUID())
                    .set(REFRESH_TOKENS.USER_ID, member)
                    .set(REFRESH_TOKENS.FAMILY_ID, family)
                    .set(REFRESH_TOKENS.TOKEN_HASH, sha256(slug + " token 2"))
                    .set(REFRESH_TOKENS.ISSUED_AT, T0.plusHours(1))
                    .set(REFRESH_TOKENS.EXPIRES_AT, T0.plusDays(30))
                    .set(REFRESH_TOKENS.IP_ADDRESS, "198.51.100.7")
                    .execute();
            dsl.insertInto(REFRESH_TOKENS)
                    .set(REFRESH_TOKENS.TENANT_ID, tenant)
                    .set(REFRESH_TOKENS.ID, UUID.randomUUID())
                    .set(REFRESH_TOKENS.USER_ID, member)
                    .set(REFRESH_TOKENS.FAMILY_ID, family)
                    .set(REFRESH_TOKENS.TOKEN_HASH, sha256(slug + " token 1"))
                    .set(REFRESH_TOKENS.ISSUED_AT, T0)
                    .set(REFRESH_TOKENS.EXPIRES_AT, T0.plusDays(30))
                    .set(REFRESH_TOKENS.REVOKED_AT, T0.plusHours(1))
                    .set(REFRESH_TOKENS.REVOKE_REASON, "rotated")
                    .execute();

            dsl.insertInto(TENANT_ROLE_ASSIGNMENTS, TENANT_ROLE_ASSIGNMENTS.TENANT_ID, TENANT_ROLE_ASSIGNMENTS.ID,
                            TENANT_ROLE_ASSIGNMENTS.USER_ID, TENANT_ROLE_ASSIGNMENTS.ROLE_ID, TENANT_ROLE_ASSIGNMENTS.PROJECT_ID)
                    .values(tenant, UUID.randomUUID(), owner, globals.tenantRoleId(), null)
                    .values(tenant, UUID.randomUUID(), member, globals.tenantRoleId(), project)
                    .execute();

            UUID client = UUID.randomUUID();
            dsl.insertInto(CLIENTS)
                    .set(CLIENTS.TENANT_ID, tenant)
                    .set(CLIENTS.ID, client)
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
                    .values(tenant, ownSeries, "invoice")
                    .values(tenant, "INV", "invoice")
                    .values(tenant, "CR", "credit_note")
                    .execute();
            dsl.insertInto(INVOICES)
                    .set(INVOICES.TENANT_ID, tenant)
                    .set(INVOICES.ID, draft)
                    .set(INVOICES.CLIENT_ID, client)
                    .set(INVOICES.PROJECT_ID, project)
                    .set(INVOICES.SERIES, ownSeries)
                    .set(INVOICES.CURRENCY, "EUR")
                    .execute();
            dsl.insertInto(INVOICES)
                    .set(INVOICES.TENANT_ID, tenant)
                    .set(INVOICES.ID, issued)
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
            dsl.update(INVOICES)
                    .set(INVOICES.STATUS, "issued")
                    .set(INVOICES.NUMBER, "INV-2026-000001")
                    .set(INVOICES.SEQUENCE_YEAR, 2026)
                    .set(INVOICES.SEQUENCE_NUMBER, 1)
                    .set(INVOICES.ISSUED_AT, T0)
                    .set(INVOICES.ISSUED_ON, T0.atZoneSameInstant(java.time.ZoneId.of("Europe/Berlin")).toLocalDate())
                    .set(INVOICES.NET_TOTAL, new BigDecimal("40.00"))
                    .set(INVOICES.TAX_TOTAL, BigDecimal.ZERO)
                    .set(INVOICES.GROSS_TOTAL, new BigDecimal("40.00"))
                    .where(INVOICES.TENANT_ID.eq(tenant), INVOICES.ID.eq(issued))
                    .execute();
            dsl.insertInto(INVOICES)
                    .set(INVOICES.TENANT_ID, tenant)
                    .set(INVOICES.ID, UUID.randomUUID())
                    .set(INVOICES.CLIENT_ID, client)
                    .set(INVOICES.KIND, "credit_note")
                    .set(INVOICES.SERIES, "CR")
                    .set(INVOICES.CORRECTS_INVOICE_ID, issued)
                    .set(INVOICES.CURRENCY, "EUR")
                    .execute();
            dsl.insertInto(INVOICE_SEQUENCES, INVOICE_SEQUENCES.TENANT_ID, INVOICE_SEQUENCES.SERIES,
                            INVOICE_SEQUENCES.YEAR, INVOICE_SEQUENCES.LAST_NUMBER)
                    .values(tenant, "INV", 2026, 1)
                    .execute();
            dsl.insertInto(LEDGER_ENTRIES)
                    .set(LEDGER_ENTRIES.TENANT_ID, tenant)
                    .set(LEDGER_ENTRIES.ID, UUID.randomUUID())
                    .set(LEDGER_ENTRIES.ENTRY_TYPE, "income")
                    .set(LEDGER_ENTRIES.CATEGORY, "services")
                    .set(LEDGER_ENTRIES.AMOUNT, new BigDecimal("40.00"))
                    .set(LEDGER_ENTRIES.CURRENCY, "EUR")
                    .set(LEDGER_ENTRIES.OCCURRED_AT, T0.plusDays(3))
                    .set(LEDGER_ENTRIES.INVOICE_ID, issued)
                    .execute();

            // A draft gets its version first; sending it then names that version (V22's state machine).
            UUID contract = UUID.randomUUID();
            dsl.insertInto(CONTRACTS)
                    .set(CONTRACTS.TENANT_ID, tenant)
                    .set(CONTRACTS.ID, contract)
                    .set(CONTRACTS.CLIENT_ID, client)
                    .set(CONTRACTS.PROJECT_ID, project)
                    .set(CONTRACTS.TITLE, "Master services agreement")
                    .execute();
            String body = "# Master services agreement\n";
            dsl.insertInto(CONTRACT_VERSIONS)
                    .set(CONTRACT_VERSIONS.TENANT_ID, tenant)
                    .set(CONTRACT_VERSIONS.ID, UUID.randomUUID())
                    .set(CONTRACT_VERSIONS.CONTRACT_ID, contract)
                    .set(CONTRACT_VERSIONS.VERSION_NUMBER, 1)
                    .set(CONTRACT_VERSIONS.BODY, body)
                    .set(CONTRACT_VERSIONS.BODY_FORMAT, "markdown")
                    .set(CONTRACT_VERSIONS.CONTENT_SHA256, sha256(body))
                    .execute();
            dsl.update(CONTRACTS)
                    .set(CONTRACTS.SIGNATURE_STATUS, "sent")
                    .set(CONTRACTS.SIGNATURE_PROVIDER, "docusign")
                    .set(CONTRACTS.SIGNATURE_ENVELOPE_ID, "env-" + token(8))
                    .set(CONTRACTS.SENT_VERSION_NUMBER, 1)
                    .where(CONTRACTS.TENANT_ID.eq(tenant).and(CONTRACTS.ID.eq(contract)))
                    .execute();

            dsl.insertInto(LEADS)
                    .set(LEADS.TENANT_ID, tenant)
                    .set(LEADS.ID, UUID.randomUUID())
                    .set(LEADS.NAME, "Hank Scorpio")
                    .set(LEADS.EMAIL, "hank@globex.example")
                    .set(LEADS.SOURCE, "referral")
                    .set(LEADS.STATUS, "won")
                    .set(LEADS.ASSIGNED_TO, member)
                    .set(LEADS.CLIENT_ID, client)
                    .execute();
            dsl.insertInto(KB_DOCUMENTS)
                    .set(KB_DOCUMENTS.TENANT_ID, tenant)
                    .set(KB_DOCUMENTS.ID, UUID.randomUUID())
                    .set(KB_DOCUMENTS.SLUG, "onboarding")
                    .set(KB_DOCUMENTS.TITLE, "Onboarding")
                    .set(KB_DOCUMENTS.BODY, "Welcome.")
                    .set(KB_DOCUMENTS.STATUS, "published")
                    .set(KB_DOCUMENTS.PUBLISHED_AT, T0)
                    .set(KB_DOCUMENTS.TAGS, new String[] {"howto", "people"})
                    .set(KB_DOCUMENTS.CREATED_BY, owner)
                    .execute();
            dsl.insertInto(MEDIA_ASSETS)
                    .set(MEDIA_ASSETS.TENANT_ID, tenant)
                    .set(MEDIA_ASSETS.ID, UUID.randomUUID())
                    .set(MEDIA_ASSETS.PROJECT_ID, project)
                    .set(MEDIA_ASSETS.FILE_NAME, "logo.png")
                    .set(MEDIA_ASSETS.CONTENT_TYPE, "image/png")
                    .set(MEDIA_ASSETS.BYTE_SIZE, 2048L)
                    .set(MEDIA_ASSETS.STORAGE_KEY, "uploads/logo.png")
                    .set(MEDIA_ASSETS.VISIBILITY, "portal")
                    .execute();
            dsl.insertInto(INTEGRATIONS)
                    .set(INTEGRATIONS.TENANT_ID, tenant)
                    .set(INTEGRATIONS.ID, UUID.randomUUID())
                    .set(INTEGRATIONS.PROVIDER, "google")
                    .set(INTEGRATIONS.STATUS, "connected")
                    // The generated fields are typed Secret; the fixture writes the stored text itself.
                    .set(DSL.field(INTEGRATIONS.ACCESS_TOKEN.getUnqualifiedName(), String.class), fakeCiphertext())
                    .set(DSL.field(INTEGRATIONS.REFRESH_TOKEN.getUnqualifiedName(), String.class), fakeCiphertext())
                    .set(INTEGRATIONS.SCOPES, JSONB.valueOf("[\"calendar.readonly\"]"))
                    .set(INTEGRATIONS.CONNECTED_AT, T0)
                    .execute();

            UUID auditId = UUID.randomUUID();
            dsl.insertInto(AUDIT_LOG)
                    .set(AUDIT_LOG.TENANT_ID, tenant)
                    .set(AUDIT_LOG.ID, auditId)
                    .set(AUDIT_LOG.ACTOR_TYPE, "user")
                    .set(AUDIT_LOG.ACTOR_ID, owner)
                    .set(AUDIT_LOG.ACTION, "invoice.issue")
                    .set(AUDIT_LOG.ENTITY_TYPE, "invoices")
                    .set(AUDIT_LOG.ENTITY_ID, issued)
                    .set(AUDIT_LOG.DIFF, JSONB.valueOf("{\"status\": {\"old\": \"draft\", \"new\": \"issued\"}}"))
                    .set(AUDIT_LOG.REQUEST_ID, "req-" + slug)
                    .execute();
            // A link as the sealer writes it (its hash needs the service's key; its shape is what counts here).
            dsl.insertInto(AUDIT_CHAIN)
                    .set(AUDIT_CHAIN.TENANT_ID, tenant)
                    .set(AUDIT_CHAIN.POSITION, 1L)
                    .set(AUDIT_CHAIN.AUDIT_ID, auditId)
                    .set(AUDIT_CHAIN.HASH, "0".repeat(64))
                    .set(AUDIT_CHAIN.KEY_ID, "fixture")
                    .execute();
            dsl.insertInto(JOBS)
                    .set(JOBS.TENANT_ID, tenant)
                    .set(JOBS.ID, UUID.randomUUID())
                    .set(JOBS.JOB_TYPE, "invoices.send_reminder")
                    .set(JOBS.PAYLOAD, JSONB.valueOf("{\"invoice_id\": \"" + issued + "\"}"))
                    .set(JOBS.RUN_AT, T0.plusDays(30))
                    .set(JOBS.DEDUPE_KEY, issued.toString())
                    .execute();
            return new TenantRows(tenant, owner, member, project);
        });
    }

    /**
     * Inserts a live user.
     *
     * @param dsl a context in the system scope
     * @param email the address
     * @return the user's id
     */
    static UUID user(DSLContext dsl, String email) {
        UUID id = UUID.randomUUID();
        dsl.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.EMAIL, email)
                .set(USERS.DISPLAY_NAME, email.substring(0, email.indexOf('@')))
                .set(USERS.PASSWORD_HASH, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")
                .execute();
        return id;
    }

    /**
     * A value in the sealed-secret format sv1 with random bytes as payload. It is not real
     * ciphertext (encryption is the Identity issue's work); it only has the format the CHECK
     * constraints accept.
     *
     * @return {@code sv1:test:<base64url of 40 random bytes>}
     */
    static String fakeCiphertext() {
        byte[] payload = new byte[40];
        RANDOM.nextBytes(payload);
        return "sv1:test:" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    /**
     * SHA-256 of a string's UTF-8 bytes, as the hash columns hold.
     *
     * @param value the input
     * @return 32 bytes
     */
    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static String token(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
