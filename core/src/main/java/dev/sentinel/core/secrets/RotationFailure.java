package dev.sentinel.core.secrets;

import java.util.UUID;

/**
 * A stored value that a rotation could not re-seal because it does not open
 * ({@link SecretIntegrityException}); it stays as it was and counts as pending. Never the value.
 *
 * @param tenantId the row's tenant, or {@code null} for a global table
 * @param rowId the row's id
 * @param column the column
 * @param reason why, as the exception said it
 */
public record RotationFailure(UUID tenantId, UUID rowId, String column, String reason) {
}
