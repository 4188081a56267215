package dev.sentinel.core.identity;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A key that passed verification: where it may act and what it may do. Immutable.
 *
 * @param keyId the key's id
 * @param tenantId the tenant to open a scope for, or null for a platform key (system scope)
 * @param resource the resource the key is narrowed to (such as a project), or null
 * @param scopes the permission keys it is limited to
 */
public record VerifiedApiKey(UUID keyId, UUID tenantId, Resource resource, Set<String> scopes) {

    /** Copies the scopes. */
    public VerifiedApiKey {
        scopes = Set.copyOf(scopes);
    }

    /**
     * The tenant.
     *
     * @return the tenant, or empty for a platform key
     */
    public Optional<UUID> tenant() {
        return Optional.ofNullable(tenantId);
    }
}
