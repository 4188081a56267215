package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.identity.IssuedRefreshToken;
import dev.sentinel.core.identity.RefreshTokens;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;

/** {@link RefreshTokens} on one tenant transaction; {@link CredentialsImpl} rotates them. */
final class RefreshTokensImpl implements RefreshTokens {

    private static final Duration MAX_TTL = Duration.ofDays(365);

    private final TxImpl tx;
    private final UUID tenant;

    RefreshTokensImpl(TxImpl tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.refreshTokens() (a session belongs to a member of one tenant)");
    }

    @Override
    public IssuedRefreshToken issue(UUID userId, Duration ttl, String ipAddress, String userAgent) {
        if (userId == null) {
            throw new InvalidInputException("refreshTokens().issue: userId is null");
        }
        if (!tx.actor().serviceName().isPresent() && !userId.equals(tx.actor().userId().orElse(null))) {
            tx.authorize("member:manage");
        }
        if (tx.dsl().fetchOptional("select from sentinel.tenant_members where tenant_id = ? and user_id = ? and status = 'active'",
                tenant, userId).isEmpty()) {
            throw new NotFoundException("refreshTokens().issue: user " + userId + " is not an active member of tenant " + tenant);
        }
        return insert(tx.dsl(), tx.now(), tenant, userId, Ids.next(), ttl, ipAddress, userAgent);
    }

    @Override
    public int revokeAll(UUID userId) {
        if (!tx.actor().serviceName().isPresent() && !userId.equals(tx.actor().userId().orElse(null))) {
            tx.authorize("member:manage");
        }
        return tx.dsl().execute("update sentinel.refresh_tokens set revoked_at = ?::timestamptz, revoke_reason = 'logout'"
                + " where tenant_id = ? and user_id = ? and revoked_at is null",
                tx.now(), tenant, userId);
    }

    /** Inserts a token of a family and returns it with its clear value. */
    static IssuedRefreshToken insert(DSLContext dsl, OffsetDateTime now, UUID tenant, UUID userId, UUID family, Duration ttl,
            String ipAddress, String userAgent) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new InvalidInputException("refresh token: ttl " + ttl + " must be positive and at most 365 days");
        }
        UUID id = Ids.next();
        String token = String.join(".", Tokens.REFRESH_TOKEN, Tokens.encode(tenant), Tokens.secret());
        OffsetDateTime expires = now.plus(ttl);
        dsl.execute("insert into sentinel.refresh_tokens (tenant_id, id, user_id, family_id, token_hash, issued_at, expires_at,"
                + " ip_address, user_agent) values (?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?, ?)",
                tenant, id, userId, family, Tokens.sha256(token), now, expires, ipAddress, userAgent);
        return new IssuedRefreshToken(id, tenant, userId, family, expires, token);
    }
}
