package dev.sentinel.agency.content;

import dev.sentinel.agency.db.enums.MediaVisibility;
import dev.sentinel.core.InvalidInputException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A media asset to register, once its bytes are in object storage. Immutable; each method returns a
 * validated copy.
 *
 * <pre>{@code
 * tx.attach(MediaLibrary.class).register(NewMediaAsset.of("logo.png", "image/png", 5120, "acme/2026/logo.png")
 *         .visibility(MediaVisibility.PORTAL).altText("Acme's logo"));
 * }</pre>
 *
 * @param fileName the file's name, 1 to 255 characters
 * @param contentType a MIME type such as {@code image/png} (lower-case type, then {@code /} and a subtype)
 * @param byteSize the size in bytes, 0 or more
 * @param storageKey the object's key, 1 to 1024 characters, unique within the tenant for good
 *     (also against deleted assets, whose objects still exist)
 * @param sha256 the SHA-256 of the content, exactly 32 bytes, or {@code null}
 * @param visibility who may see it; default {@link MediaVisibility#PRIVATE}
 * @param altText alternative text, at most 1000 characters, or {@code null}
 * @param projectId a live project of the tenant, or {@code null}
 */
public record NewMediaAsset(String fileName, String contentType, long byteSize, String storageKey, byte[] sha256,
        MediaVisibility visibility, String altText, UUID projectId) {

    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9.+-]+/[A-Za-z0-9.+_-]+");

    /**
     * Validates the values.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewMediaAsset {
        if (fileName == null || fileName.isBlank() || fileName.length() > 255) {
            throw new InvalidInputException("NewMediaAsset: fileName must be 1 to 255 characters and not blank");
        }
        if (contentType == null || !CONTENT_TYPE.matcher(contentType).matches()) {
            throw new InvalidInputException("NewMediaAsset: contentType '" + contentType + "' is not a MIME type such as"
                    + " image/png (lower-case type, a slash, a subtype, no parameters)");
        }
        if (byteSize < 0) {
            throw new InvalidInputException("NewMediaAsset: byteSize " + byteSize + " is negative");
        }
        if (storageKey == null || storageKey.isBlank() || storageKey.length() > 1024) {
            throw new InvalidInputException("NewMediaAsset: storageKey must be 1 to 1024 characters and not blank");
        }
        if (sha256 != null && sha256.length != 32) {
            throw new InvalidInputException("NewMediaAsset: sha256 has " + sha256.length + " bytes; a SHA-256 has 32"
                    + " (pass the raw digest, not its hex text), or null");
        }
        if (visibility == null) {
            throw new InvalidInputException("NewMediaAsset: visibility is null; use MediaVisibility.PRIVATE for members only");
        }
        if (altText != null && altText.length() > 1000) {
            throw new InvalidInputException("NewMediaAsset: altText is limited to 1000 characters");
        }
        sha256 = sha256 == null ? null : sha256.clone();
    }

    /**
     * A private asset without digest, alt text or project.
     *
     * @param fileName the file's name
     * @param contentType the MIME type
     * @param byteSize the size in bytes
     * @param storageKey the object's key
     * @return the new asset
     */
    public static NewMediaAsset of(String fileName, String contentType, long byteSize, String storageKey) {
        return new NewMediaAsset(fileName, contentType, byteSize, storageKey, null, MediaVisibility.PRIVATE, null, null);
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
     * Sets the SHA-256 of the content.
     *
     * @param sha256 32 bytes, or {@code null}
     * @return a copy
     */
    public NewMediaAsset sha256(byte[] sha256) {
        return new NewMediaAsset(fileName, contentType, byteSize, storageKey, sha256, visibility, altText, projectId);
    }

    /**
     * Sets who may see the asset.
     *
     * @param visibility the visibility
     * @return a copy
     */
    public NewMediaAsset visibility(MediaVisibility visibility) {
        return new NewMediaAsset(fileName, contentType, byteSize, storageKey, sha256, visibility, altText, projectId);
    }

    /**
     * Sets the alternative text.
     *
     * @param altText the text, or {@code null}
     * @return a copy
     */
    public NewMediaAsset altText(String altText) {
        return new NewMediaAsset(fileName, contentType, byteSize, storageKey, sha256, visibility, altText, projectId);
    }

    /**
     * Files the asset under a project.
     *
     * @param projectId a live project of the tenant, or {@code null}
     * @return a copy
     */
    public NewMediaAsset project(UUID projectId) {
        return new NewMediaAsset(fileName, contentType, byteSize, storageKey, sha256, visibility, altText, projectId);
    }
}
