package dev.sentinel.core.audit;

import dev.sentinel.core.db.enums.ActorType;
import dev.sentinel.core.db.enums.AuditLevel;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of an audit trail, as read back.
 *
 * @param id the row's id
 * @param tenantId the tenant, or {@code null} for the system trail
 * @param seq insertion order within the trail (increasing, not gap-free)
 * @param occurredAt the time of the transaction that acted
 * @param actorType who acted: a user, an API key, a service, the system or no one signed in
 * @param actorId the acting user's id, or {@code null}
 * @param actorLabel the service's name, or {@code null}
 * @param action what was done: {@code insert}, {@code update}, {@code delete}, {@code soft_delete},
 *     {@code restore}, {@code purge} for row changes, or a custom action
 * @param level the entry's level
 * @param entityType the table (schema-qualified outside {@code sentinel}) or custom kind
 * @param entityId the row's id, or {@code null}
 * @param message a sentence, or {@code null}
 * @param diff the changed columns as JSON ({@code {"col": {"old": .., "new": ..}}}), secrets
 *     redacted, the values of {@code sentinel:personal} columns as stored beside the trail, or
 *     {@code "[erased]"} once the person was erased; or {@code null}
 * @param meta context as JSON
 * @param requestId the request id of the transaction, or {@code null}
 */
public record AuditEntry(UUID id, UUID tenantId, long seq, OffsetDateTime occurredAt, ActorType actorType, UUID actorId,
        String actorLabel, String action, AuditLevel level, String entityType, UUID entityId, String message, String diff,
        String meta, String requestId) {
}
