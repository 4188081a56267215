package dev.sentinel.agency.crm;

import dev.sentinel.agency.db.enums.LeadSource;
import dev.sentinel.agency.db.enums.LeadStatus;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * A lead as stored. Immutable.
 *
 * @param tenantId the tenant
 * @param id the lead's id (UUIDv7: id order is creation order)
 * @param name the person's name
 * @param email the e-mail address, or {@code null}
 * @param phone the phone number, or {@code null}
 * @param company the company, or {@code null}
 * @param source where the lead came from
 * @param status where it stands in the pipeline
 * @param notes free text, or {@code null}
 * @param assignedTo the member who owns the lead, or {@code null} when unassigned
 * @param clientId the client it became (set by conversion), or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 * @param deletedBy the user who deleted it, or {@code null}
 * @param deleteReason why it was deleted, or {@code null}
 */
public record Lead(UUID tenantId, UUID id, String name, String email, String phone, String company, LeadSource source,
        LeadStatus status, String notes, UUID assignedTo, UUID clientId, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        OffsetDateTime deletedAt, UUID deletedBy, String deleteReason) {

    /**
     * The member who owns the lead.
     *
     * @return the user id, or empty when unassigned
     */
    public Optional<UUID> assignee() {
        return Optional.ofNullable(assignedTo);
    }

    /**
     * Whether the lead is soft-deleted.
     *
     * @return {@code true} once deleted
     */
    public boolean deleted() {
        return deletedAt != null;
    }
}
