package dev.sentinel.core.reliability;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.sentinel.core.CredentialRejectedException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.RoleScope;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.enums.SignInFailure;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.Resource;
import dev.sentinel.core.identity.SignInAttempt;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input to the identity API: users, members, roles, permissions, API keys, refresh tokens
 * and sign-in records. Each case fails with a typed error and leaves every identity table exactly
 * as it was (an md5 over all their rows, read in the system scope), or stores the value verbatim
 * and reads it back equal.
 */
class IdentityHostileInputTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final List<String> IDENTITY_TABLES = List.of("users", "tenant_members", "roles", "permissions",
            "role_permissions", "global_role_assignments", "tenant_role_assignments", "api_keys", "global_api_keys",
            "refresh_tokens", "auth_attempts", "account_lockouts", "resource_types");
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final AtomicInteger STORED = new AtomicInteger();

    private static Sentinel sentinel;
    private static UUID tenantA;
    private static UUID tenantB;
    private static UUID memberOfA;
    private static UUID memberOfB;
    /** A widget of tenant B, registered as resource type {@code widget} by the test service. */
    private static Resource widgetOfB;

    @BeforeAll
    static void seed() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        tenantA = Tenants.create(sentinel);
        tenantB = Tenants.create(sentinel);
        memberOfB = system().inTransaction(tx -> tx.users().create("member-of-b@example.com", null).id());
        b().useTransaction(tx -> tx.members().add(memberOfB, SeatType.PRO, "staff"));
        memberOfA = system().inTransaction(tx -> tx.users().create("member-of-a@example.com", null).id());
        a().useTransaction(tx -> tx.members().add(memberOfA, SeatType.PRO, null));
        widgetOfB = Resource.of("widget", b().inTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("B")).getId()));
    }

    @AfterAll
    static void summary() {
        System.out.println("IdentityHostileInputTest: " + (REJECTED.get() + STORED.get()) + " cases tried: " + REJECTED.get()
                + " rejected with a typed error and no identity row changed, " + STORED.get() + " stored and read back verbatim");
        sentinel.close();
    }

    private static Scope system() {
        return sentinel.system(Tenants.SETUP);
    }

    private static Scope a() {
        return sentinel.tenant(tenantA, Tenants.SETUP);
    }

    private static Scope b() {
        return sentinel.tenant(tenantB, Tenants.SETUP);
    }

    static Stream<Arguments> cases() {
        String tenantPart = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
        return Stream.of(
                stores("email: apostrophe and plus", "o'brien+tag@example.com", null),
                stores("email: internationalised", "j\u00fcrgen@\u4f8b\u3048.jp", null),
                stores("email: quoted local part", "\"drop.table\"@example.com", null),
                stores("display name: SQL", "sql-name@example.com", "'); drop table sentinel.users; --"),
                stores("display name: emoji ZWJ and right-to-left", "emoji-name@example.com",
                        "\uD83D\uDC69\u200D\uD83D\uDC67 \u202Eevil\u202C"),

                rejects("email: NUL byte", InvalidInputException.class, () -> createUser("a\u0000b@example.com", null)),
                rejects("email: a space", InvalidInputException.class, () -> createUser("a b@example.com", null)),
                rejects("email: no @", InvalidInputException.class, () -> createUser("nobody.example.com", null)),
                rejects("email: 321 characters", InvalidInputException.class, () -> createUser("x".repeat(309) + "@example.com", null)),
                rejects("email: null", InvalidInputException.class, () -> createUser(null, null)),
                rejects("email: unpaired surrogate", InvalidInputException.class, () -> createUser("\uD800x@example.com", null)),
                rejects("email: taken, in other case", dev.sentinel.core.UniqueViolationException.class,
                        () -> createUser("MEMBER-OF-B@example.com", null)),
                rejects("display name: 201 characters", InvalidInputException.class, () -> createUser("long@example.com", "n".repeat(201))),
                rejects("display name: NUL byte", InvalidInputException.class, () -> createUser("nul-name@example.com", "a\u0000")),
                rejects("password hash: clear text", InvalidInputException.class,
                        () -> system().useTransaction(tx -> tx.users().setPasswordHash(memberOfB, "correct horse battery staple"))),
                rejects("password hash: PHC prefix with NUL", InvalidInputException.class,
                        () -> system().useTransaction(tx -> tx.users().setPasswordHash(memberOfB, "$argon2id$\u0000"))),

                rejects("permission: SQL tautology", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.authorize("invoice:issue' or '1'='1"))),
                rejects("permission: 10,000 characters", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.authorize("a:" + "b".repeat(10_000)))),
                rejects("permission: upper case", InvalidInputException.class, () -> a().useTransaction(tx -> tx.authorize("Invoice:Issue"))),
                rejects("role key: SQL comment", NotFoundException.class,
                        () -> b().useTransaction(tx -> tx.roles().assign(memberOfB, "admin'; --"))),
                rejects("role define: upper-case key", InvalidInputException.class,
                        () -> system().useTransaction(tx -> tx.roles().define("Admin", "A", RoleScope.TENANT, Set.of()))),
                rejects("role define: permission with a statement", InvalidInputException.class,
                        () -> system().useTransaction(tx -> tx.roles().define("odd", "Odd", RoleScope.TENANT, Set.of("a:b; drop")))),
                rejects("role assign: member of another tenant", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.roles().assign(memberOfB, "staff"))),
                rejects("role assign: another tenant's resource", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.roles().assign(memberOfA, "staff", widgetOfB))),
                rejects("role assign: an unregistered resource type", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.roles().assign(memberOfA, "staff", Resource.of("gizmo", widgetOfB.id())))),
                rejects("member add: unknown user id", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.members().add(UUID.randomUUID(), SeatType.PRO, null))),
                rejects("member add: the nil UUID", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.members().add(new UUID(0, 0), SeatType.PRO, null))),
                rejects("member invite: SQL as address", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.members().invite("' or 1=1 --", SeatType.PRO, null))),
                rejects("access scope: resource without tenant", IllegalArgumentException.class,
                        () -> new AccessScope(null, Resource.of("widget", UUID.randomUUID()))),
                rejects("resource type: SQL", InvalidInputException.class, () -> Resource.of("widget'; drop table widgets; --", UUID.randomUUID())),
                rejects("resource type: upper case", InvalidInputException.class, () -> Resource.of("Widget", UUID.randomUUID())),

                rejects("API key name: 201 characters", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.apiKeys().create("k".repeat(201), Set.of(), null, null))),
                rejects("API key scope: a wildcard", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.apiKeys().create("wild", Set.of("*"), null, null))),
                rejects("API key: another tenant's resource", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.apiKeys().create("foreign", Set.of(), widgetOfB, null))),
                rejects("verify: 10 MB", CredentialRejectedException.class,
                        () -> sentinel.credentials().verifyApiKey("sntk." + "a".repeat(10 * 1024 * 1024))),
                rejects("verify: NUL byte", CredentialRejectedException.class,
                        () -> sentinel.credentials().verifyApiKey("sntk." + tenantPart + ".AAAAAAAAAAAA.\u0000")),
                rejects("verify: SQL in the prefix", CredentialRejectedException.class,
                        () -> sentinel.credentials().verifyApiKey("sntk." + tenantPart + ".' or 1=1 --.x")),
                rejects("verify: unknown tenant", CredentialRejectedException.class,
                        () -> sentinel.credentials().verifyApiKey("sntk." + tenantPart + ".AAAAAAAAAAAA." + "A".repeat(43))),
                rejects("rotate: unicode", CredentialRejectedException.class,
                        () -> sentinel.credentials().rotateRefreshToken("sntr.\u00e9\u00e9.\u00e9", Duration.ofDays(1))),
                rejects("refresh token: 366 days", InvalidInputException.class,
                        () -> b().useTransaction(tx -> tx.refreshTokens().issue(memberOfB, Duration.ofDays(366), null, null))),
                rejects("refresh token: not a member", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.refreshTokens().issue(memberOfB, Duration.ofDays(1), null, null))),
                rejects("sign-in: NUL in the address", InvalidInputException.class,
                        () -> sentinel.credentials().recordSignIn(SignInAttempt.failed("x\u0000@example.com", null, null,
                                SignInFailure.UNKNOWN_USER))),
                rejects("sign-in: not an IP address", InvalidInputException.class,
                        () -> sentinel.credentials().recordSignIn(SignInAttempt.failed("ip@example.com", null, "999.1.1.1; drop",
                                SignInFailure.UNKNOWN_USER))),
                rejects("sign-in: success without a user", InvalidInputException.class,
                        () -> sentinel.credentials().recordSignIn(new SignInAttempt("ok@example.com", null, null, null, null))));
    }

    private static UUID createUser(String email, String name) {
        return system().inTransaction(tx -> tx.users().create(email, name).id());
    }

    private static Arguments stores(String name, String email, String displayName) {
        return argumentSet(name, (ThrowingCallable) () -> {
            UUID id = createUser(email, displayName);
            var user = system().inTransaction(tx -> tx.users().find(id).orElseThrow());
            assertThat(user.email()).isEqualTo(email);
            assertThat(user.displayName()).isEqualTo(displayName);
            assertThat(system().inTransaction(tx -> tx.users().findByEmail(email)).orElseThrow().id()).isEqualTo(id);
            STORED.incrementAndGet();
        });
    }

    private static Arguments rejects(String name, Class<? extends Throwable> type, ThrowingCallable action) {
        return argumentSet(name, (ThrowingCallable) () -> {
            String before = fingerprint();
            assertThatThrownBy(action).isInstanceOf(type);
            assertThat(fingerprint()).describedAs("identity rows after a rejected call").isEqualTo(before);
            REJECTED.incrementAndGet();
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void isRejectedWithATypedErrorOrStoredVerbatim(ThrowingCallable hostile) throws Throwable {
        hostile.call();
    }

    private static String fingerprint() {
        StringBuilder sql = new StringBuilder("select ");
        for (int i = 0; i < IDENTITY_TABLES.size(); i++) {
            String table = IDENTITY_TABLES.get(i);
            sql.append(i == 0 ? "" : " || ").append("coalesce((select md5(string_agg(row_to_json(t)::text, '|' order by row_to_json(t)::text))"
                    + " from sentinel.").append(table).append(" t), '-')");
        }
        return system().inTransaction(tx -> tx.dsl().fetchSingle(sql.toString()).get(0, String.class));
    }
}
