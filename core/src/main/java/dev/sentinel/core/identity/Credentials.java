package dev.sentinel.core.identity;

import dev.sentinel.core.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The authentication side, outside any caller's transaction ({@link dev.sentinel.core.Sentinel#credentials()}):
 * verifying API keys, rotating refresh tokens, and recording sign-in attempts under the configured
 * {@link LockoutPolicy}. Each call runs its own short transaction as the service actor
 * {@code sentinel.auth}, in the scope the credential names. Secrets are compared in constant time
 * and never logged. Thread-safe.
 */
public interface Credentials {

    /**
     * Verifies an API key as a client presented it.
     *
     * @param presented the key
     * @return where and how the key may act
     * @throws dev.sentinel.core.CredentialRejectedException if it is malformed, unknown, wrong, expired or revoked
     */
    VerifiedApiKey verifyApiKey(String presented);

    /**
     * Uses a refresh token: revokes it and issues its successor in the same family, with the same
     * client details. A token used twice means it leaked: the second use revokes the whole family.
     *
     * @param presented the token
     * @param ttl the successor's lifetime
     * @return the successor, to hand to the client
     * @throws dev.sentinel.core.CredentialRejectedException if it is malformed, unknown, expired, revoked or reused,
     *     or its user is disabled
     */
    IssuedRefreshToken rotateRefreshToken(String presented, Duration ttl);

    /**
     * Revokes a refresh token (sign out). An unknown or revoked token changes nothing.
     *
     * @param presented the token
     */
    void revokeRefreshToken(String presented);

    /**
     * Records a sign-in attempt; a failure that reaches the policy's limit locks the address.
     *
     * @param attempt the attempt
     * @return the lockout end if the address is locked after this attempt
     * @throws dev.sentinel.core.InvalidInputException for a malformed attempt
     */
    Optional<Instant> recordSignIn(SignInAttempt attempt);

    /**
     * Whether sign-in for an address is locked now; check before verifying a password.
     *
     * @param email the address
     * @return the lockout end, or empty if not locked
     */
    Optional<Instant> lockedUntil(String email);

    /**
     * Lifts the current lockouts of an address early, as an operator.
     *
     * @param email the address
     * @param operator who lifts them (audited)
     * @return how many lockouts were lifted
     */
    int releaseLockouts(String email, Actor operator);
}
