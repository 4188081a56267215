package dev.sentinel.core.support;

import static dev.sentinel.core.db.Tables.ACCOUNT_LOCKOUTS;
import static dev.sentinel.core.db.Tables.API_KEYS;
import static dev.sentinel.core.db.Tables.AUDIT_CHAIN;
import static dev.sentinel.core.db.Tables.AUDIT_CHECKPOINT;
import static dev.sentinel.core.db.Tables.AUDIT_LOG;
import static dev.sentinel.core.db.Tables.AUTH_ATTEMPTS;
import static dev.sentinel.core.db.Tables.GLOBAL_API_KEYS;
import static dev.sentinel.core.db.Tables.GLOBAL_ROLE_ASSIGNMENTS;
import static dev.sentinel.core.db.Tables.JOBS;
import static dev.sentinel.core.db.Tables.JOB_SCHEDULES;
import static dev.sentinel.core.db.Tables.JOB_TENANT_QUEUES;
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
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;

import dev.sentinel.core.db.enums.LockoutReason;
import dev.sentinel.core.db.enums.MembershipRole;
import dev.sentinel.core.db.enums.RoleScope;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.enums.SignInFailure;
import dev.sentinel.core.db.enums.TokenRevokeReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Inserts a valid row graph of the kernel's tables through the generated jOOQ classes, in the system
 * scope as the application role: the global rows once, then, per tenant, at least one row in every
 * tenant table of schema {@code sentinel}. Written against the generated classes, so a schema change
 * that breaks the fixture breaks the build. The tenant tests check that every tenant table has rows
 * for each tenant, so a table added later without fixture rows fails them instead of passing on an
 * empty table.
 *
 * <p>{@link #insertTenant} narrows an API key and a role grant to a widget, so its database needs
 * core's test-service migrations ({@code classpath:db/test-service}, which register resource type
 * {@code widget}). A module's schema fixture starts each tenant with {@link #insertTenantAndMembers}
 * and adds its own tables' rows. Thread-safe (stateless).
 */
public final class SchemaFixture {

    /** A fixed instant (the JVM and the server run in different, non-UTC zones). */
    public static final OffsetDateTime T0 = OffsetDateTime.parse("2026-03-02T09:30:00+01:00");

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The global rows.
     *
     * @param tenantRoleId a role of scope tenant
     * @param globalRoleId a role of scope global
     * @param sharedUserId a user who becomes a member of every tenant the fixture creates
     * @param loneUserId a user who is a member of no tenant
     */
    public record Globals(UUID tenantRoleId, UUID globalRoleId, UUID sharedUserId, UUID loneUserId) {
    }

    /**
     * One tenant's rows that tests refer to.
     *
     * @param tenantId the tenant
     * @param ownerId the user who owns the tenant (member only of it)
     * @param memberId a second member (member only of it)
     */
    public record TenantRows(UUID tenantId, UUID ownerId, UUID memberId) implements InsertedTenant {
    }

    /**
     * One tenant's rows as a module's fixture returns them, so that checks shared between the kernel's
     * and a module's tests can take either module's fixture.
     */
    public interface InsertedTenant {
        /**
         * The tenant.
         *
         * @return its id
         */
        UUID tenantId();
    }

    /**
     * Inserts one tenant's rows: {@link #insertTenant}, or a module's fixture on top of it.
     *
     * @param <R> the ids the fixture returns
     */
    @FunctionalInterface
    public interface TenantInserter<R extends InsertedTenant> {
        /**
         * Inserts a tenant with at least one row in every tenant table of the schema under test.
         *
         * @param app the application role's data source
         * @param slug the tenant's slug
         * @param globals the rows of {@link #insertGlobals}
         * @return the ids tests refer to
         * @throws SQLException if an insert fails
         */
        R insertTenant(DataSource app, String slug, Globals globals) throws SQLException;
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
    public static Globals insertGlobals(DataSource app) throws SQLException {
        return RawScope.system().commit(app, connection -> {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            UUID tenantRole = UUID.randomUUID();
            UUID globalRole = UUID.randomUUID();
            UUID permission = UUID.randomUUID();
            dsl.insertInto(ROLES, ROLES.ID, ROLES.KEY, ROLES.NAME, ROLES.SCOPE)
                    .values(tenantRole, "tenant_admin", "Tenant administrator", RoleScope.TENANT)
                    .values(globalRole, "platform_operator", "Platform operator", RoleScope.GLOBAL)
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
                    .values(UUID.randomUUID(), "nobody@example.com", null, "2001:db8::1", false, SignInFailure.UNKNOWN_USER)
                    .execute();
            dsl.insertInto(SECRET_KEY_CHECKS)
                    .set(SECRET_KEY_CHECKS.KEY_ID, "test")
                    .set(SECRET_KEY_CHECKS.KEY_CHECK, fakeCiphertext())
                    .execute();
            dsl.insertInto(ACCOUNT_LOCKOUTS)
                    .set(ACCOUNT_LOCKOUTS.ID, UUID.randomUUID())
                    .set(ACCOUNT_LOCKOUTS.EMAIL, "nobody@example.com")
                    .set(ACCOUNT_LOCKOUTS.REASON, LockoutReason.TOO_MANY_ATTEMPTS)
                    .set(ACCOUNT_LOCKOUTS.LOCKED_AT, T0)
                    .set(ACCOUNT_LOCKOUTS.LOCKED_UNTIL, T0.plusMinutes(15))
                    .execute();
            dsl.insertInto(GLOBAL_API_KEYS)
                    .set(GLOBAL_API_KEYS.ID, UUID.randomUUID())
                    .set(GLOBAL_API_KEYS.NAME, "audit exporter")
                    .set(GLOBAL_API_KEYS.KEY_PREFIX, "sgk_" + token(6))
                    .set(GLOBAL_API_KEYS.KEY_HASH, sha256("global key"))
                    .set(GLOBAL_API_KEYS.SCOPES, new String[] {"audit:read"})
                    .execute();
            dsl.insertInto(SYSTEM_AUDIT_LOG)
                    .set(SYSTEM_AUDIT_LOG.ID, UUID.randomUUID())
                    .set(SYSTEM_AUDIT_LOG.ACTION, "roles.create")
                    .set(SYSTEM_AUDIT_LOG.ENTITY_TYPE, "roles")
                    .set(SYSTEM_AUDIT_LOG.ENTITY_ID, tenantRole)
                    .execute();
            return new Globals(tenantRole, globalRole, shared, lone);
        });
    }

    /**
     * Inserts a tenant and at least one row of it in every tenant table of schema {@code sentinel}:
     * its members, an API key across the tenant and one narrowed to a widget, refresh tokens, a
     * tenant-wide role grant and one narrowed to the widget, an audit row and its chain link, a job
     * and a number counter.
     *
     * @param app the application role's data source (of a database with core's test-service migrations)
     * @param slug the tenant's slug, also used to make its users' e-mail addresses unique
     * @param globals the global rows; the shared user becomes a guest member
     * @return the ids tests refer to
     * @throws SQLException if an insert fails
     */
    public static TenantRows insertTenant(DataSource app, String slug, Globals globals) throws SQLException {
        return RawScope.system().commit(app, connection -> {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            TenantRows rows = insertTenantAndMembers(dsl, slug, globals);
            UUID tenant = rows.tenantId();
            UUID owner = rows.ownerId();
            UUID member = rows.memberId();

            // The resource that a key and a grant are narrowed to: a widget of the test service.
            UUID widget = UUID.randomUUID();
            dsl.insertInto(WIDGETS)
                    .set(WIDGETS.TENANT_ID, tenant)
                    .set(WIDGETS.ID, widget)
                    .set(WIDGETS.NAME, "anvil")
                    .execute();

            dsl.insertInto(API_KEYS, API_KEYS.TENANT_ID, API_KEYS.ID, API_KEYS.RESOURCE_TYPE, API_KEYS.RESOURCE_ID, API_KEYS.NAME,
                            API_KEYS.KEY_PREFIX, API_KEYS.KEY_HASH)
                    .values(tenant, UUID.randomUUID(), null, null, "CI", "stk_" + token(6), sha256(slug + " tenant key"))
                    .values(tenant, UUID.randomUUID(), "widget", widget, "Deploy hook", "swk_" + token(6),
                            sha256(slug + " widget key"))
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
                    .set(REFRESH_TOKENS.REVOKE_REASON, TokenRevokeReason.ROTATED)
                    .execute();

            dsl.insertInto(TENANT_ROLE_ASSIGNMENTS, TENANT_ROLE_ASSIGNMENTS.TENANT_ID, TENANT_ROLE_ASSIGNMENTS.ID,
                            TENANT_ROLE_ASSIGNMENTS.USER_ID, TENANT_ROLE_ASSIGNMENTS.ROLE_ID, TENANT_ROLE_ASSIGNMENTS.RESOURCE_TYPE,
                            TENANT_ROLE_ASSIGNMENTS.RESOURCE_ID)
                    .values(tenant, UUID.randomUUID(), owner, globals.tenantRoleId(), null, null)
                    .values(tenant, UUID.randomUUID(), member, globals.tenantRoleId(), "widget", widget)
                    .execute();

            UUID auditId = UUID.randomUUID();
            // The actor of an audit row is the database's, from the transaction's settings.
            dsl.execute("set local sentinel.actor_id = '" + owner + "'");
            dsl.insertInto(AUDIT_LOG)
                    .set(AUDIT_LOG.TENANT_ID, tenant)
                    .set(AUDIT_LOG.ID, auditId)
                    .set(AUDIT_LOG.ACTION, "widget.paint")
                    .set(AUDIT_LOG.ENTITY_TYPE, "public.widgets")
                    .set(AUDIT_LOG.ENTITY_ID, widget)
                    .set(AUDIT_LOG.DIFF, JSONB.valueOf("{\"color\": {\"old\": \"grey\", \"new\": \"blue\"}}"))
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
            // A checkpoint as the sealer signs it (its signature needs the service's signing key; its shape is what counts here).
            dsl.insertInto(AUDIT_CHECKPOINT)
                    .set(AUDIT_CHECKPOINT.TENANT_ID, tenant)
                    .set(AUDIT_CHECKPOINT.ID, UUID.randomUUID())
                    .set(AUDIT_CHECKPOINT.PURPOSE, dev.sentinel.core.db.enums.AuditCheckpointPurpose.CHECKPOINT)
                    .set(AUDIT_CHECKPOINT.POSITION, 1L)
                    .set(AUDIT_CHECKPOINT.CHAIN_HASH, "0".repeat(64))
                    .set(AUDIT_CHECKPOINT.DIGEST, "0".repeat(64))
                    .set(AUDIT_CHECKPOINT.KEY_ID, "fixture")
                    .set(AUDIT_CHECKPOINT.SIGNED_AT, T0)
                    .set(AUDIT_CHECKPOINT.SIGNATURE, "fixture")
                    .execute();
            dsl.insertInto(JOBS)
                    .set(JOBS.TENANT_ID, tenant)
                    .set(JOBS.ID, UUID.randomUUID())
                    .set(JOBS.JOB_TYPE, "widgets.send_reminder")
                    .set(JOBS.PAYLOAD, JSONB.valueOf("{\"widget_id\": \"" + widget + "\"}"))
                    .set(JOBS.RUN_AT, T0.plusDays(30))
                    .set(JOBS.DEDUPE_KEY, widget.toString())
                    .execute();
            // The claim's round robin, as the enqueue leaves it, and a recurring job.
            dsl.insertInto(JOB_TENANT_QUEUES, JOB_TENANT_QUEUES.TENANT_ID, JOB_TENANT_QUEUES.QUEUE)
                    .values(tenant, "default")
                    .execute();
            dsl.insertInto(JOB_SCHEDULES)
                    .set(JOB_SCHEDULES.TENANT_ID, tenant)
                    .set(JOB_SCHEDULES.NAME, "widgets.nightly")
                    .set(JOB_SCHEDULES.JOB_TYPE, "widgets.send_reminder")
                    .set(JOB_SCHEDULES.CRON, "0 3 * * *")
                    .set(JOB_SCHEDULES.TIME_ZONE, "Europe/Berlin")
                    .set(JOB_SCHEDULES.NEXT_RUN_AT, T0.plusDays(1))
                    .execute();
            // A counter after the year's first number: only sentinel.next_number writes counters (kernel
            // V14), and only in the tenant's scope. SET LOCAL, not set_config: on Citus only the statement
            // reaches the workers.
            dsl.execute("set local sentinel.tenant_id = '" + tenant + "'");
            dsl.execute("select sentinel.next_number('order', '2026')");
            dsl.execute("set local sentinel.tenant_id = ''");
            return rows;
        });
    }

    /**
     * Inserts a tenant (time zone Europe/Berlin), its owner and a member (new users, members of it
     * only), and makes the shared user a guest member: the start of every fixture tenant, the
     * kernel's and a module's.
     *
     * @param dsl a context in the system scope
     * @param slug the tenant's slug, also used to make its users' e-mail addresses unique
     * @param globals the global rows
     * @return the tenant and its two own members
     */
    public static TenantRows insertTenantAndMembers(DSLContext dsl, String slug, Globals globals) {
        UUID tenant = UUID.randomUUID();
        dsl.insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME, TENANTS.TIME_ZONE)
                .values(tenant, slug, "Tenant " + slug, "Europe/Berlin")
                .execute();

        UUID owner = user(dsl, "owner@" + slug + ".example");
        UUID member = user(dsl, "member@" + slug + ".example");
        dsl.insertInto(TENANT_MEMBERS, TENANT_MEMBERS.TENANT_ID, TENANT_MEMBERS.USER_ID, TENANT_MEMBERS.ROLE,
                        TENANT_MEMBERS.SEAT_TYPE)
                .values(tenant, owner, MembershipRole.OWNER, SeatType.ENTERPRISE)
                .values(tenant, member, MembershipRole.MEMBER, SeatType.PRO)
                .values(tenant, globals.sharedUserId(), MembershipRole.GUEST, SeatType.FREE_BETA)
                .execute();
        return new TenantRows(tenant, owner, member);
    }

    /**
     * Inserts a live user.
     *
     * @param dsl a context in the system scope
     * @param email the address
     * @return the user's id
     */
    public static UUID user(DSLContext dsl, String email) {
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
    public static String fakeCiphertext() {
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
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /**
     * Random bytes, unpadded base64url, for key prefixes and envelope ids.
     *
     * @param bytes how many random bytes
     * @return the text
     */
    public static String token(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
