package dev.sentinel.agency.internal.content;

import static dev.sentinel.agency.db.Tables.MEDIA_ASSETS;
import static dev.sentinel.agency.db.Tables.PROJECTS;

import dev.sentinel.agency.content.MediaAsset;
import dev.sentinel.agency.content.MediaAudience;
import dev.sentinel.agency.content.MediaLibrary;
import dev.sentinel.agency.content.NewMediaAsset;
import dev.sentinel.agency.db.enums.MediaVisibility;
import dev.sentinel.agency.db.tables.records.MediaAssetsRecord;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * {@link MediaLibrary} over the generic repository of {@code agency.media_assets}. The audience's
 * visibility filter is a condition of the same query, never a filter applied in Java afterwards, so
 * paging and counts see only what the audience may see.
 */
public final class MediaLibraryImpl implements MediaLibrary {

    /** Storage keys are unique per tenant across live and deleted assets (agency V4). */
    static final String STORAGE_KEY = "media_assets_storage_key_key";

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the library to a transaction.
     *
     * @param tx the transaction, of a tenant scope
     * @throws dev.sentinel.core.MissingScopeException in the system scope
     */
    public MediaLibraryImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(MediaLibrary.class)");
    }

    @Override
    public MediaAsset register(NewMediaAsset asset) {
        if (asset == null) {
            throw new InvalidInputException("register: asset is null; start from NewMediaAsset.of(...)");
        }
        tx.authorize("media:upload");
        if (asset.projectId() != null && !tx.dsl().fetchExists(PROJECTS, PROJECTS.TENANT_ID.eq(tenant)
                .and(PROJECTS.ID.eq(asset.projectId())).and(PROJECTS.DELETED_AT.isNull()))) {
            throw new NotFoundException("register: no live project " + asset.projectId() + " in tenant " + tenant
                    + "; file the asset under an existing project, or under none");
        }
        MediaAssetsRecord record = new MediaAssetsRecord()
                .setFileName(asset.fileName())
                .setContentType(asset.contentType())
                .setByteSize(asset.byteSize())
                .setStorageKey(asset.storageKey())
                .setSha256(asset.sha256())
                .setVisibility(asset.visibility())
                .setAltText(asset.altText())
                .setProjectId(asset.projectId());
        try {
            return asset(repository().insert(record));
        } catch (UniqueViolationException e) {
            if (!STORAGE_KEY.equals(e.constraint())) {
                throw e;
            }
            throw new UniqueViolationException("register: tenant " + tenant + " already has an asset with storage key '"
                    + asset.storageKey() + "' (possibly deleted: its object still exists); store the file under a new key",
                    e.constraint(), e.table(), e);
        }
    }

    @Override
    public Optional<MediaAsset> find(UUID assetId, MediaAudience audience) {
        requireId(assetId, "find");
        Condition visible = visibleTo(audience);
        return repository().list(MEDIA_ASSETS.ID.eq(assetId).and(visible), PageRequest.first(1)).items().stream()
                .findFirst().map(MediaLibraryImpl::asset);
    }

    @Override
    public MediaAsset get(UUID assetId, MediaAudience audience) {
        return find(assetId, audience).orElseThrow(() -> new NotFoundException("No live media asset " + assetId
                + " visible to " + audience.name().toLowerCase(java.util.Locale.ROOT) + " in tenant " + tenant));
    }

    @Override
    public Page<MediaAsset> list(MediaAudience audience, PageRequest page) {
        return list(visibleTo(audience), page);
    }

    @Override
    public Page<MediaAsset> list(MediaAudience audience, UUID projectId, PageRequest page) {
        if (projectId == null) {
            throw new InvalidInputException("list: projectId is null; call list(audience, page) for every asset");
        }
        return list(visibleTo(audience).and(MEDIA_ASSETS.PROJECT_ID.eq(projectId)), page);
    }

    @Override
    public MediaAsset changeVisibility(UUID assetId, MediaVisibility visibility) {
        requireId(assetId, "changeVisibility");
        if (visibility == null) {
            throw new InvalidInputException("changeVisibility: visibility is null");
        }
        tx.authorize("media:update");
        MediaAssetsRecord row = repository().find(assetId).orElseThrow(() -> notFound(assetId));
        if (visibility == row.getVisibility()) {
            return asset(row);
        }
        row.setVisibility(visibility);
        return asset(repository().update(row));
    }

    @Override
    public MediaAsset delete(UUID assetId, String reason) {
        requireId(assetId, "delete");
        tx.authorize("media:delete");
        try {
            return asset(repository().softDelete(assetId, reason));
        } catch (InvalidStateTransitionException alreadyDeleted) {
            throw notFound(assetId); // deleted rows are invisible here, as to every other method
        }
    }

    private Page<MediaAsset> list(Condition condition, PageRequest page) {
        if (page == null) {
            throw new InvalidInputException("list: page is null; use PageRequest.first(size)");
        }
        Page<MediaAssetsRecord> rows = repository().list(condition, page);
        return new Page<>(rows.items().stream().map(MediaLibraryImpl::asset).toList(), rows.next());
    }

    private static Condition visibleTo(MediaAudience audience) {
        if (audience == null) {
            throw new InvalidInputException("audience is null: say who is looking (MEMBERS, PORTAL or PUBLIC)");
        }
        if (audience == MediaAudience.MEMBERS) {
            return DSL.noCondition();
        }
        return MEDIA_ASSETS.VISIBILITY.in(audience.sees().stream().map(MediaVisibility::literal).toList());
    }

    private Repository<MediaAssetsRecord> repository() {
        return tx.table(MEDIA_ASSETS);
    }

    private NotFoundException notFound(UUID assetId) {
        return new NotFoundException("No live media asset " + assetId + " in tenant " + tenant);
    }

    private static void requireId(UUID assetId, String operation) {
        if (assetId == null) {
            throw new InvalidInputException(operation + ": assetId is null");
        }
    }

    static MediaAsset asset(MediaAssetsRecord r) {
        return new MediaAsset(r.getTenantId(), r.getId(), r.getProjectId(), r.getFileName(), r.getContentType(),
                r.getByteSize(), r.getStorageKey(), r.getSha256(), r.getVisibility(), r.getAltText(),
                r.getCreatedAt(), r.getUpdatedAt(), r.getDeletedAt(), r.getDeletedBy(), r.getDeleteReason());
    }
}
