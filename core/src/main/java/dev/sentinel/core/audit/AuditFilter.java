package dev.sentinel.core.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Which audit entries to read. Immutable; each method returns a copy. Every criterion is optional.
 *
 * @param entityType only entries about this kind of entity
 * @param entityId only entries about this entity
 * @param actorId only entries by this user
 * @param action only entries with this action
 * @param from only entries at or after this instant
 * @param to only entries before this instant
 */
public record AuditFilter(String entityType, UUID entityId, UUID actorId, String action, Instant from, Instant to) {

    /**
     * No criteria: the whole trail.
     *
     * @return the filter
     */
    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null, null);
    }

    /**
     * Only entries about one entity.
     *
     * @param type its kind, e.g. {@code orders}
     * @param id its id, or {@code null} for every entity of the kind
     * @return a copy
     */
    public AuditFilter entity(String type, UUID id) {
        return new AuditFilter(type, id, actorId, action, from, to);
    }

    /**
     * Only entries by one user.
     *
     * @param userId the user's id
     * @return a copy
     */
    public AuditFilter actor(UUID userId) {
        return new AuditFilter(entityType, entityId, userId, action, from, to);
    }

    /**
     * Only entries with one action.
     *
     * @param action e.g. {@code soft_delete}
     * @return a copy
     */
    public AuditFilter action(String action) {
        return new AuditFilter(entityType, entityId, actorId, action, from, to);
    }

    /**
     * Only entries in a time range.
     *
     * @param from inclusive, or {@code null}
     * @param to exclusive, or {@code null}
     * @return a copy
     */
    public AuditFilter between(Instant from, Instant to) {
        return new AuditFilter(entityType, entityId, actorId, action, from, to);
    }
}
