package dev.sentinel.core.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * API keys, bound to one transaction ({@link dev.sentinel.core.Tx#apiKeys()}): in a tenant scope
 * the tenant's keys, in the system scope the platform's own keys. A key is 256 random bits from
 * {@link java.security.SecureRandom}, returned once; only its SHA-256 digest and a lookup prefix
 * are stored. Keys are verified with {@link Credentials#verifyApiKey}. Creating and revoking
 * need {@code api_key:manage}; each leaves an audit row (without the key).
 */
public interface ApiKeys {

    /**
     * Creates a key.
     *
     * @param name a name for people, 1 to 200 characters
     * @param scopes the permission keys the key is limited to (may be empty)
     * @param resource a resource of this tenant to narrow the key to (such as a project), or null
     *     (always null in the system scope)
     * @param expiresAt when it stops working, or null for never
     * @return the metadata and the key, to show once
     * @throws dev.sentinel.core.InvalidInputException for a bad name, scope or expiry in the past
     * @throws dev.sentinel.core.PermissionDeniedException without {@code api_key:manage}
     */
    IssuedApiKey create(String name, Set<String> scopes, Resource resource, Instant expiresAt);

    /**
     * Revokes a key; it fails verification from the next transaction on. Revoking a revoked key changes nothing.
     *
     * @param keyId the key's id
     * @throws dev.sentinel.core.NotFoundException if there is no such key in this scope
     * @throws dev.sentinel.core.PermissionDeniedException without {@code api_key:manage}
     */
    void revoke(UUID keyId);

    /**
     * A key's metadata.
     *
     * @param keyId the key's id
     * @return the key, or empty
     */
    Optional<ApiKey> find(UUID keyId);

    /**
     * The keys of this scope, newest first, revoked ones included.
     *
     * @return the keys
     */
    List<ApiKey> list();
}
