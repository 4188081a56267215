package dev.sentinel.core.identity;

import java.time.Duration;
import java.util.UUID;

/**
 * Refresh tokens of members' sessions in this transaction's tenant ({@link dev.sentinel.core.Tx#refreshTokens()}).
 * A token is 256 random bits, returned once and stored as its SHA-256 digest. Tokens rotate: use
 * one with {@link Credentials#rotateRefreshToken}, which revokes it and issues its successor in the
 * same family; presenting a rotated token again revokes the family. Issuing needs the member
 * themself or a service actor; revoking another member's sessions needs {@code member:manage}.
 */
public interface RefreshTokens {

    /**
     * Issues the first token of a new session (a new family).
     *
     * @param userId an active member of this tenant
     * @param ttl how long the token lives, at most 365 days
     * @param ipAddress the client's IP address, or null
     * @param userAgent the client's user agent, or null
     * @return the token, to hand to the client once
     * @throws dev.sentinel.core.NotFoundException if the user is not an active member
     * @throws dev.sentinel.core.PermissionDeniedException if a different user asks
     */
    IssuedRefreshToken issue(UUID userId, Duration ttl, String ipAddress, String userAgent);

    /**
     * Revokes every live token of a member (sign out everywhere).
     *
     * @param userId the member
     * @return how many tokens were revoked
     */
    int revokeAll(UUID userId);
}
