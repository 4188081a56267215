package dev.sentinel.agency.content;

import dev.sentinel.agency.db.enums.MediaVisibility;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * A media asset as stored: the metadata of a file whose bytes live in object storage. Immutable.
 *
 * @param tenantId the tenant
 * @param id the asset's id
 * @param projectId the project it belongs to, or {@code null}
 * @param fileName the file's name as uploaded
 * @param contentType the MIME type, such as {@code image/png}
 * @param byteSize the size in bytes
 * @param storageKey the object's key in the tenant's storage, unique within the tenant
 * @param sha256 the SHA-256 of the content (32 bytes), or {@code null}; the accessor returns a copy
 * @param visibility who may see it
 * @param altText the alternative text for images, or {@code null}
 * @param createdAt when it was registered
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 * @param deletedBy the user who deleted it, or {@code null}
 * @param deleteReason why it was deleted, or {@code null}
 */
public record MediaAsset(UUID tenantId, UUID id, UUID projectId, String fileName, String contentType, long byteSize,
        String storageKey, byte[] sha256, MediaVisibility visibility, String altText, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, OffsetDateTime deletedAt, UUID deletedBy, String deleteReason) {

    /** Copies the digest, so the record stays immutable. */
    public MediaAsset {
        sha256 = sha256 == null ? null : sha256.clone();
    }

    /**
     * The SHA-256 of the content.
     *
     * @return a copy of the 32 bytes, or {@code null}
     */
    @Override
    public byte[] sha256() {
        return sha256 == null ? null : sha256.clone();
    }

    /**
     * The project the asset belongs to.
     *
     * @return the project's id, or empty
     */
    public Optional<UUID> project() {
        return Optional.ofNullable(projectId);
    }
}
