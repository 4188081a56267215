package dev.sentinel.agency.content;

import dev.sentinel.agency.db.enums.KbStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A knowledge-base document as stored. Immutable.
 *
 * @param tenantId the tenant
 * @param id the document's id
 * @param slug its URL-safe name, unique among the tenant's live documents
 * @param title the title
 * @param body the body (the format, such as Markdown, is the service's choice)
 * @param status draft, published or archived
 * @param tags free-form tags, in the order given, without duplicates
 * @param publishedAt when it was first published, or {@code null} if never
 * @param createdBy the user who created it, or {@code null} for a service
 * @param version the optimistic-locking version: pass it to {@link KnowledgeBase#edit}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 * @param deletedBy the user who deleted it, or {@code null}
 * @param deleteReason why it was deleted, or {@code null}
 */
public record KbDocument(UUID tenantId, UUID id, String slug, String title, String body, KbStatus status,
        List<String> tags, OffsetDateTime publishedAt, UUID createdBy, int version, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, OffsetDateTime deletedAt, UUID deletedBy, String deleteReason) {

    /** Copies the tags, so the record stays immutable. */
    public KbDocument {
        tags = List.copyOf(tags);
    }
}
