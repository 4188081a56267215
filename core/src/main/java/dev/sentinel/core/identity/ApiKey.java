package dev.sentinel.core.identity;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * An API key as stored: everything but the key, which only its creator saw once. Immutable.
 *
 * @param id the key's id
 * @param tenantId the tenant it acts in, or null for a platform key (system scope)
 * @param resource the resource it is narrowed to (such as a project), or null
 * @param name a name for people
 * @param prefix the lookup prefix, stored in clear (safe to show, to tell keys apart)
 * @param scopes the permission keys it is limited to
 * @param expiresAt when it stops working, or null for never
 * @param lastUsedAt when it was last verified, to the hour, or null
 * @param revokedAt when it was revoked, or null
 */
public record ApiKey(UUID id, UUID tenantId, Resource resource, String name, String prefix, Set<String> scopes,
                     OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {

    /** Copies the scopes. */
    public ApiKey {
        scopes = Set.copyOf(scopes);
    }
}
