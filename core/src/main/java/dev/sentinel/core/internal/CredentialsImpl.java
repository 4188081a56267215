package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.CredentialRejectedException.Reason;
import dev.sentinel.core.CredentialRejectedException;
import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.identity.Credentials;
import dev.sentinel.core.identity.IssuedRefreshToken;
import dev.sentinel.core.identity.LockoutPolicy;
import dev.sentinel.core.identity.Resource;
import dev.sentinel.core.identity.SignInAttempt;
import dev.sentinel.core.identity.VerifiedApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Record;

/**
 * {@link Credentials}: each call one short transaction as {@code sentinel.auth}. A rejection that
 * must still write (a reused refresh token revokes its family) commits first and throws after.
 */
public final class CredentialsImpl implements Credentials {

    /** The actor of every credential check. */
    public static final Actor ACTOR = Actor.service("sentinel.auth");

    /** Compared against when no row matches, so an unknown prefix costs the same digest as a wrong secret. */
    private static final byte[] NO_MATCH = new byte[32];
    /** last_used_at is written at most this often per key: each write is an audit row. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofHours(1);

    private final Sentinel sentinel;
    private final Scope system;
    private final Clock clock;
    private final LockoutPolicy policy;

    /**
     * Creates the credentials side of one Sentinel.
     *
     * @param sentinel the Sentinel whose scopes to open
     * @param clock the service's clock
     * @param policy the lockout policy
     */
    public CredentialsImpl(Sentinel sentinel, Clock clock, LockoutPolicy policy) {
        this.sentinel = sentinel;
        this.system = sentinel.system(ACTOR);
        this.clock = clock;
        this.policy = policy;
    }

    private Scope tenant(UUID tenantId) {
        return sentinel.tenant(tenantId, ACTOR);
    }

    private OffsetDateTime now() {
        return TxImpl.now(clock);
    }

    @Override
    public VerifiedApiKey verifyApiKey(String presented) {
        String[] tenantParts = Tokens.parts(presented, Tokens.TENANT_KEY, 4);
        String[] platformParts = tenantParts == null ? Tokens.parts(presented, Tokens.PLATFORM_KEY, 3) : null;
        UUID tenantId = tenantParts == null ? null : Tokens.decode(tenantParts[1]);
        if ((tenantParts == null || tenantId == null) && platformParts == null) {
            throw new CredentialRejectedException(Reason.MALFORMED, "API key rejected: not in the format sntk.<tenant>.<prefix>.<secret>"
                    + " or sntg.<prefix>.<secret>");
        }
        String prefix = tenantParts != null ? tenantParts[2] : platformParts[1];
        Scope scope = tenantId != null ? tenant(tenantId) : system;
        String table = tenantId != null ? "sentinel.api_keys" : "sentinel.global_api_keys";
        String resourceColumns = tenantId != null ? "resource_type, resource_id" : "null::text, null::uuid";
        // A rejection writes nothing, so it is thrown inside the transaction, which then rolls back.
        return scope.inTransaction(tx -> {
            Record row = tx.dsl().fetchOptional("select id, " + resourceColumns + ", key_hash, scopes, expires_at, revoked_at, last_used_at"
                    + " from " + table + " where key_prefix = ?", prefix).orElse(null);
            boolean matches = Tokens.matches(row == null ? NO_MATCH : row.get(3, byte[].class), presented);
            if (row == null || !matches) {
                throw apiKeyRejected(prefix, row == null ? Reason.UNKNOWN : Reason.WRONG_SECRET);
            }
            if (row.get(6, OffsetDateTime.class) != null) {
                throw apiKeyRejected(prefix, Reason.REVOKED);
            }
            OffsetDateTime expires = row.get(5, OffsetDateTime.class);
            if (expires != null && !expires.isAfter(now())) {
                throw apiKeyRejected(prefix, Reason.EXPIRED);
            }
            UUID id = row.get(0, UUID.class);
            OffsetDateTime lastUsed = row.get(7, OffsetDateTime.class);
            if (lastUsed == null || lastUsed.isBefore(now().minus(LAST_USED_RESOLUTION))) {
                tx.dsl().execute("update " + table + " set last_used_at = ?::timestamptz where id = ?", now(), id);
            }
            String resourceType = row.get(1, String.class);
            return new VerifiedApiKey(id, tenantId, Resources.of(resourceType, row.get(2, UUID.class)),
                    Set.of(row.get(4, String[].class)));
        });
    }

    private static CredentialRejectedException apiKeyRejected(String prefix, Reason reason) {
        return new CredentialRejectedException(reason, "API key with prefix " + prefix + " rejected: " + describe(reason));
    }

    @Override
    public IssuedRefreshToken rotateRefreshToken(String presented, Duration ttl) {
        String[] parts = Tokens.parts(presented, Tokens.REFRESH_TOKEN, 3);
        UUID tenantId = parts == null ? null : Tokens.decode(parts[1]);
        if (tenantId == null) {
            throw new CredentialRejectedException(Reason.MALFORMED, "Refresh token rejected: not in the format sntr.<tenant>.<secret>");
        }
        Object outcome = tenant(tenantId).inTransaction(tx -> {
            Record row = tx.dsl().fetchOptional("select id, user_id, family_id, expires_at, revoked_at, revoke_reason, ip_address,"
                    + " user_agent, sentinel.user_is_active(user_id) from sentinel.refresh_tokens"
                    + " where tenant_id = ? and token_hash = ? for update",
                    tenantId, Tokens.sha256(presented)).orElse(null);
            if (row == null) {
                return Reason.UNKNOWN;
            }
            UUID family = row.get(2, UUID.class);
            if (row.get(4, OffsetDateTime.class) != null) {
                if ("rotated".equals(row.get(5, String.class))) {
                    // A rotated token presented again was copied: end every session of the family.
                    tx.dsl().execute("update sentinel.refresh_tokens set revoked_at = ?::timestamptz, revoke_reason = 'reuse_detected'"
                            + " where tenant_id = ? and family_id = ? and revoked_at is null", now(), tenantId, family);
                    return Reason.REUSED;
                }
                return Reason.REVOKED;
            }
            if (!row.get(3, OffsetDateTime.class).isAfter(now())) {
                return Reason.EXPIRED;
            }
            if (!row.get(8, Boolean.class)) {
                return Reason.USER_DISABLED;
            }
            tx.dsl().execute("update sentinel.refresh_tokens set revoked_at = ?::timestamptz, revoke_reason = 'rotated'"
                    + " where tenant_id = ? and id = ?", now(), tenantId, row.get(0, UUID.class));
            return RefreshTokensImpl.insert(tx.dsl(), now(), tenantId, row.get(1, UUID.class), family, ttl,
                    row.get(6, String.class), row.get(7, String.class));
        });
        if (outcome instanceof Reason reason) {
            throw new CredentialRejectedException(reason, "Refresh token rejected: " + describe(reason));
        }
        return (IssuedRefreshToken) outcome;
    }

    @Override
    public void revokeRefreshToken(String presented) {
        String[] parts = Tokens.parts(presented, Tokens.REFRESH_TOKEN, 3);
        UUID tenantId = parts == null ? null : Tokens.decode(parts[1]);
        if (tenantId != null) {
            tenant(tenantId).useTransaction(tx -> tx.dsl().execute("update sentinel.refresh_tokens"
                    + " set revoked_at = ?::timestamptz, revoke_reason = 'logout' where tenant_id = ? and token_hash = ?"
                    + " and revoked_at is null", now(), tenantId, Tokens.sha256(presented)));
        }
    }

    @Override
    public Optional<Instant> recordSignIn(SignInAttempt attempt) {
        if (attempt == null || attempt.email() == null || attempt.email().isEmpty() || attempt.email().length() > 320) {
            throw new InvalidInputException("recordSignIn: the attempt needs the address as entered (1 to 320 characters)");
        }
        if (attempt.failure() == null && attempt.userId() == null) {
            throw new InvalidInputException("recordSignIn: a successful attempt names its user");
        }
        return system.inTransaction(tx -> {
            // One attempt at a time per address, so two concurrent failures cannot both miss the limit.
            tx.dsl().execute("select pg_advisory_xact_lock(hashtextextended(lower(?), 7))", attempt.email());
            tx.dsl().execute("insert into sentinel.auth_attempts (id, email, user_id, ip_address, user_agent, succeeded,"
                    + " failure_reason, attempted_at) values (?, ?, ?, ?, ?, ?, ?, ?::timestamptz)", Ids.next(), attempt.email(),
                    attempt.userId(), attempt.ipAddress(), attempt.userAgent(), attempt.failure() == null,
                    attempt.failure() == null ? null : attempt.failure().literal(), now());
            Optional<Instant> locked = lockedUntil(tx.dsl(), attempt.email());
            if (attempt.failure() == null || locked.isPresent()) {
                return locked;
            }
            // Failures count within the window, but not those before the last lockout (already punished).
            Integer failures = tx.dsl().fetchSingle("select count(*) from sentinel.auth_attempts where lower(email) = lower(?)"
                    + " and not succeeded and failure_reason <> 'locked' and attempted_at > ?::timestamptz"
                    + " and attempted_at > coalesce((select max(locked_at) from sentinel.account_lockouts where lower(email) = lower(?)),"
                    + " '-infinity')", attempt.email(), now().minus(policy.window()), attempt.email()).get(0, Integer.class);
            if (failures < policy.maxFailures()) {
                return Optional.empty();
            }
            OffsetDateTime until = now().plus(policy.lockFor());
            tx.dsl().execute("insert into sentinel.account_lockouts (id, email, user_id, reason, locked_at, locked_until)"
                    + " values (?, ?, ?, 'too_many_attempts', ?::timestamptz, ?::timestamptz)", Ids.next(), attempt.email(),
                    attempt.userId(), now(), until);
            return Optional.of(until.toInstant());
        });
    }

    @Override
    public Optional<Instant> lockedUntil(String email) {
        return email == null ? Optional.empty() : system.inTransaction(tx -> lockedUntil(tx.dsl(), email));
    }

    private Optional<Instant> lockedUntil(org.jooq.DSLContext dsl, String email) {
        return Optional.ofNullable(dsl.fetchSingle("select max(locked_until) from sentinel.account_lockouts"
                + " where lower(email) = lower(?) and released_at is null and locked_until > ?::timestamptz", email, now())
                .get(0, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    @Override
    public int releaseLockouts(String email, Actor operator) {
        if (email == null || operator == null) {
            throw new InvalidInputException("releaseLockouts: email and operator are required");
        }
        return sentinel.system(operator).inTransaction(tx -> {
            tx.authorize("user:manage");
            return tx.dsl().execute("update sentinel.account_lockouts set released_at = ?::timestamptz, released_by = ?"
                    + " where lower(email) = lower(?) and released_at is null and locked_until > ?::timestamptz",
                    now(), operator.userId().orElse(null), email, now());
        });
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case MALFORMED -> "malformed";
            case UNKNOWN -> "no such credential";
            case WRONG_SECRET -> "the secret does not match";
            case EXPIRED -> "expired";
            case REVOKED -> "revoked";
            case REUSED -> "a rotated token was used again; every token of its family is now revoked";
            case USER_DISABLED -> "its user is disabled; nothing was rotated";
        };
    }
}
