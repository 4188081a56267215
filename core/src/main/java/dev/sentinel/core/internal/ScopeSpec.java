package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import java.util.UUID;

/**
 * Which rows a transaction may see: one tenant's, or, in the system scope, every tenant's.
 *
 * @param tenantId the tenant, or {@code null} in the system scope
 * @param actor who acts
 */
public record ScopeSpec(UUID tenantId, Actor actor) {

    /**
     * Whether this is the system scope.
     *
     * @return {@code true} when no tenant is set
     */
    public boolean system() {
        return tenantId == null;
    }

    /**
     * For messages.
     *
     * @return {@code tenant <id>} or {@code the system scope}
     */
    public String describe() {
        return system() ? "the system scope" : "tenant " + tenantId;
    }
}
