package dev.sentinel.agency.content;

import dev.sentinel.agency.db.enums.MediaVisibility;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import java.util.Optional;
import java.util.UUID;

/**
 * The current tenant's media library, from {@code tx.attach(MediaLibrary.class)}: the metadata of uploaded files, a
 * thin layer over the generic repository of {@code agency.media_assets} (tenant scope, soft
 * deletes, timestamps and the audit row of every change come from there). Every call runs in the
 * caller's transaction. Tenant scope only (the system scope throws
 * {@link dev.sentinel.core.MissingScopeException}). Valid only inside its transaction; not
 * thread-safe.
 *
 * <p>Reads take a {@link MediaAudience}: the visibility filter is part of the SQL, so an asset the
 * audience may not see is reported exactly like one that does not exist. Every write needs its
 * permission ({@code media:upload}, {@code media:update}, {@code media:delete}) and throws
 * {@link dev.sentinel.core.PermissionDeniedException} before writing anything without it. Reads
 * need none. Soft-deleted assets are invisible to every method here.
 */
public interface MediaLibrary {

    /**
     * Registers an uploaded file. Needs {@code media:upload}.
     *
     * @param asset the file's metadata
     * @return the stored asset
     * @throws dev.sentinel.core.NotFoundException if the project is not a live project of this tenant
     * @throws dev.sentinel.core.UniqueViolationException if the tenant has an asset (live or deleted) with the
     *     storage key (constraint {@code media_assets_storage_key_key})
     */
    MediaAsset register(NewMediaAsset asset);

    /**
     * Reads a live asset that an audience may see.
     *
     * @param assetId the id
     * @param audience who is looking
     * @return the asset, or empty if there is none with that id or the audience may not see it
     */
    Optional<MediaAsset> find(UUID assetId, MediaAudience audience);

    /**
     * Reads a live asset that an audience may see.
     *
     * @param assetId the id
     * @param audience who is looking
     * @return the asset
     * @throws dev.sentinel.core.NotFoundException if there is none with that id or the audience may not see it
     */
    MediaAsset get(UUID assetId, MediaAudience audience);

    /**
     * A page of the live assets an audience may see, in id (upload) order: for a portal user,
     * {@code list(MediaAudience.PORTAL, page)} returns public and portal assets only.
     *
     * @param audience who is looking
     * @param page which page
     * @return the page
     */
    Page<MediaAsset> list(MediaAudience audience, PageRequest page);

    /**
     * A page of the live assets of one project that an audience may see, in id (upload) order.
     *
     * @param audience who is looking
     * @param projectId the project
     * @param page which page
     * @return the page
     */
    Page<MediaAsset> list(MediaAudience audience, UUID projectId, PageRequest page);

    /**
     * Changes who may see an asset. Needs {@code media:update}.
     *
     * @param assetId the asset
     * @param visibility the new visibility
     * @return the updated asset (unchanged, and nothing written, if it already had that visibility)
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live asset with that id
     */
    MediaAsset changeVisibility(UUID assetId, MediaVisibility visibility);

    /**
     * Soft-deletes an asset; the stored object is left to the service (its key stays taken). Needs
     * {@code media:delete}.
     *
     * @param assetId the asset
     * @param reason why, 1 to 1000 characters
     * @return the deleted asset
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live asset with that id
     */
    MediaAsset delete(UUID assetId, String reason);
}
