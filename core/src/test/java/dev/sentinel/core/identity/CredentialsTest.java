package dev.sentinel.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.CredentialRejectedException;
import dev.sentinel.core.CredentialRejectedException.Reason;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.enums.SignInFailure;
import dev.sentinel.core.db.enums.UserStatus;
import dev.sentinel.core.support.MutableClock;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API keys and refresh tokens (shown once, stored hashed, verified in constant time, expiry,
 * revocation, rotation with reuse detection) and sign-in lockouts under a configured policy.
 */
class CredentialsTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final MutableClock CLOCK = new MutableClock();

    private static Sentinel sentinel;
    private static Credentials credentials;
    private static UUID tenantA;
    private static UUID tenantB;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(4)
                .clock(CLOCK).lockoutPolicy(new LockoutPolicy(3, Duration.ofMinutes(10), Duration.ofMinutes(15))).build();
        credentials = sentinel.credentials();
        tenantA = Tenants.create(sentinel);
        tenantB = Tenants.create(sentinel);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static IssuedApiKey createKey(UUID tenant, Instant expiresAt) {
        return sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.apiKeys().create("CI deploys", Set.of("invoice:issue"), null, expiresAt));
    }

    private static void assertRejected(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CredentialRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void anApiKeyVerifiesOnlyAsIssued() {
        IssuedApiKey issued = createKey(tenantA, null);
        assertThat(issued.secret()).startsWith("sntk.").contains(issued.key().prefix());
        assertThat(issued.toString()).doesNotContain(issued.secret());

        VerifiedApiKey verified = credentials.verifyApiKey(issued.secret());
        assertThat(verified.keyId()).isEqualTo(issued.key().id());
        assertThat(verified.tenant()).contains(tenantA);
        assertThat(verified.scopes()).containsExactly("invoice:issue");

        String secret = issued.secret().substring(issued.secret().lastIndexOf('.') + 1);
        String wrong = issued.secret().substring(0, issued.secret().length() - secret.length())
                + (secret.charAt(0) == 'A' ? 'B' : 'A') + secret.substring(1);
        assertRejected(() -> credentials.verifyApiKey(wrong), Reason.WRONG_SECRET);
        assertRejected(() -> credentials.verifyApiKey(issued.secret().replace(issued.key().prefix(), "AAAAAAAAAAAA")),
                Reason.UNKNOWN);
        assertRejected(() -> credentials.verifyApiKey("not a key"), Reason.MALFORMED);
        assertRejected(() -> credentials.verifyApiKey(null), Reason.MALFORMED);
        // The same key with another tenant's id is looked up in that tenant, where it does not exist.
        String otherTenant = issued.secret().replace(issued.secret().split("\\.")[1], encode(tenantB));
        assertRejected(() -> credentials.verifyApiKey(otherTenant), Reason.UNKNOWN);
    }

    @Test
    void theStoredValueIsNotTheKeyAndCannotBeUsedAsOne() throws SQLException {
        IssuedApiKey issued = createKey(tenantA, null);
        byte[] stored;
        String row;
        try (Connection owner = db.ownerDataSource().getConnection();
             PreparedStatement select = owner.prepareStatement(
                     "select key_hash, row_to_json(k)::text from sentinel.api_keys k where id = ?")) {
            owner.setAutoCommit(false);
            owner.createStatement().execute("set local sentinel.scope = 'system'");
            select.setObject(1, issued.key().id());
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as("the key's row exists").isTrue();
                stored = rs.getBytes(1);
                row = rs.getString(2);
            }
            owner.rollback();
        }
        String secretPart = issued.secret().substring(issued.secret().lastIndexOf('.') + 1);
        assertThat(stored).hasSize(32);
        assertThat(row).doesNotContain(secretPart).doesNotContain(issued.secret());

        String[] parts = issued.secret().split("\\.");
        String withHash = String.join(".", parts[0], parts[1], parts[2], Base64.getUrlEncoder().withoutPadding().encodeToString(stored));
        assertRejected(() -> credentials.verifyApiKey(withHash), Reason.WRONG_SECRET);
        assertRejected(() -> credentials.verifyApiKey(HexFormat.of().formatHex(stored)), Reason.MALFORMED);
        assertRejected(() -> credentials.verifyApiKey("\\x" + HexFormat.of().formatHex(stored)), Reason.MALFORMED);

        List<AuditEntry> audit = sentinel.tenant(tenantA, Tenants.SETUP).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("api_keys", issued.key().id()), 10).entries());
        assertThat(audit).extracting(AuditEntry::action).containsExactly("insert");
        assertThat(audit.get(0).diff()).doesNotContain(secretPart);
    }

    @Test
    void expiredAndRevokedKeysAreRejected() {
        IssuedApiKey expiring = createKey(tenantA, CLOCK.instant().plus(Duration.ofHours(1)));
        credentials.verifyApiKey(expiring.secret());
        CLOCK.advance(Duration.ofHours(2));
        assertRejected(() -> credentials.verifyApiKey(expiring.secret()), Reason.EXPIRED);

        IssuedApiKey revoked = createKey(tenantA, null);
        credentials.verifyApiKey(revoked.secret());
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> tx.apiKeys().revoke(revoked.key().id()));
        assertRejected(() -> credentials.verifyApiKey(revoked.secret()), Reason.REVOKED);
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx ->
                assertThat(tx.apiKeys().find(revoked.key().id()).orElseThrow().revokedAt()).isNotNull());

        assertThatThrownBy(() -> createKey(tenantA, CLOCK.instant().minusSeconds(1))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void platformKeysActInTheSystemScope() {
        IssuedApiKey issued = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.apiKeys().create("Operations", Set.of(), null, null));
        assertThat(issued.secret()).startsWith("sntg.");
        VerifiedApiKey verified = credentials.verifyApiKey(issued.secret());
        assertThat(verified.tenant()).isEmpty();
        assertThat(verified.keyId()).isEqualTo(issued.key().id());
    }

    @Test
    void creatingAKeyNeedsThePermission() {
        UUID viewer = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.users().create("viewer-" + System.nanoTime() + "@example.com", null).id());
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> tx.members().add(viewer, SeatType.PRO, "viewer"));
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(viewer)).useTransaction(tx ->
                tx.apiKeys().create("mine", Set.of(), null, null))).isInstanceOf(PermissionDeniedException.class);
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx ->
                assertThat(tx.apiKeys().list()).extracting(ApiKey::name).doesNotContain("mine"));
    }

    @Test
    void aDisabledUsersRefreshTokenDoesNotRotateUntilTheyAreReEnabled() {
        UUID user = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.users().create("disabled-" + System.nanoTime() + "@example.com", null).id());
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, null));
        IssuedRefreshToken token = sentinel.tenant(tenantA, Tenants.SETUP).inTransaction(tx ->
                tx.refreshTokens().issue(user, Duration.ofDays(30), null, null));

        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.users().changeStatus(user, UserStatus.DISABLED));
        assertRejected(() -> credentials.rotateRefreshToken(token.token(), Duration.ofDays(30)), Reason.USER_DISABLED);

        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.users().changeStatus(user, UserStatus.ACTIVE));
        assertThat(credentials.rotateRefreshToken(token.token(), Duration.ofDays(30)).userId())
                .describedAs("the refused attempt rotated and revoked nothing").isEqualTo(user);
    }

    @Test
    void refreshTokensRotateAndAReuseRevokesTheFamily() {
        UUID user = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.users().create("session-" + System.nanoTime() + "@example.com", null).id());
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, null));
        IssuedRefreshToken first = sentinel.tenant(tenantA, Actor.user(user)).inTransaction(tx ->
                tx.refreshTokens().issue(user, Duration.ofDays(30), "203.0.113.7", "test"));
        assertThat(first.toString()).doesNotContain(first.token());

        IssuedRefreshToken second = credentials.rotateRefreshToken(first.token(), Duration.ofDays(30));
        assertThat(second.familyId()).isEqualTo(first.familyId());
        assertThat(second.userId()).isEqualTo(user);
        assertThat(second.token()).isNotEqualTo(first.token());
        IssuedRefreshToken third = credentials.rotateRefreshToken(second.token(), Duration.ofDays(30));

        // The first token, used again, was stolen: the whole family ends, the newest token too.
        assertRejected(() -> credentials.rotateRefreshToken(first.token(), Duration.ofDays(30)), Reason.REUSED);
        assertRejected(() -> credentials.rotateRefreshToken(third.token(), Duration.ofDays(30)), Reason.REVOKED);

        IssuedRefreshToken other = sentinel.tenant(tenantA, Tenants.SETUP).inTransaction(tx ->
                tx.refreshTokens().issue(user, Duration.ofMinutes(5), null, null));
        credentials.revokeRefreshToken(other.token());
        assertRejected(() -> credentials.rotateRefreshToken(other.token(), Duration.ofDays(1)), Reason.REVOKED);

        IssuedRefreshToken shortLived = sentinel.tenant(tenantA, Tenants.SETUP).inTransaction(tx ->
                tx.refreshTokens().issue(user, Duration.ofMinutes(5), null, null));
        CLOCK.advance(Duration.ofMinutes(6));
        assertRejected(() -> credentials.rotateRefreshToken(shortLived.token(), Duration.ofDays(1)), Reason.EXPIRED);
        assertRejected(() -> credentials.rotateRefreshToken("sntr.x.y", Duration.ofDays(1)), Reason.MALFORMED);
    }

    @Test
    void failuresLockAnAddressUnderThePolicy() {
        String email = "target-" + System.nanoTime() + "@example.com";
        assertThat(credentials.recordSignIn(SignInAttempt.failed(email, null, "198.51.100.1", SignInFailure.UNKNOWN_USER))).isEmpty();
        assertThat(credentials.recordSignIn(SignInAttempt.failed(email.toUpperCase(java.util.Locale.ROOT), null, null,
                SignInFailure.BAD_PASSWORD))).isEmpty();
        Optional<Instant> locked = credentials.recordSignIn(SignInAttempt.failed(email, null, null, SignInFailure.BAD_PASSWORD));
        assertThat(locked).contains(CLOCK.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plus(Duration.ofMinutes(15)));
        assertThat(credentials.lockedUntil(email)).isEqualTo(locked);

        CLOCK.advance(Duration.ofMinutes(16));
        assertThat(credentials.lockedUntil(email)).isEmpty();
        // The failures that caused the lockout do not count again.
        assertThat(credentials.recordSignIn(SignInAttempt.failed(email, null, null, SignInFailure.BAD_PASSWORD))).isEmpty();

        // An operator lifts a lockout; a user without user:manage may not.
        String other = "other-" + System.nanoTime() + "@example.com";
        for (int i = 0; i < 3; i++) {
            credentials.recordSignIn(SignInAttempt.failed(other, null, null, SignInFailure.BAD_PASSWORD));
        }
        assertThat(credentials.lockedUntil(other)).isPresent();
        assertThatThrownBy(() -> credentials.releaseLockouts(other, Actor.user(UUID.randomUUID())))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(credentials.releaseLockouts(other, Actor.service("ops-console"))).isEqualTo(1);
        assertThat(credentials.lockedUntil(other)).isEmpty();

        assertThatThrownBy(() -> credentials.recordSignIn(new SignInAttempt(null, null, null, null, null)))
                .isInstanceOf(InvalidInputException.class);
    }

    private static String encode(UUID id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.nio.ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }
}
