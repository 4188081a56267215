package dev.sentinel.agency.integrations;

import dev.sentinel.agency.db.enums.IntegrationStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A connection as stored, without its tokens (read those with {@link Integrations#tokens}, where
 * they are needed). Immutable.
 *
 * @param tenantId the tenant
 * @param id the connection's id
 * @param provider the provider's key, such as {@code google}
 * @param status the state
 * @param externalAccountId the account or workspace id at the provider, or {@code null}
 * @param scopes the OAuth scopes granted, in the order given
 * @param configJson provider-specific settings, a JSON object as PostgreSQL's {@code jsonb} prints it
 * @param hasAccessToken whether an access token is stored (it is while connected)
 * @param hasRefreshToken whether a refresh token is stored
 * @param tokenExpiresAt when the access token expires, or {@code null}
 * @param connectedAt when it was last connected, or {@code null}
 * @param lastSyncAt when the service last synchronised through it, or {@code null}
 * @param lastError the last error the provider returned, or {@code null}
 * @param createdBy the user who first connected it, or {@code null} for a service
 * @param createdAt when the row was created
 * @param updatedAt when it last changed
 */
public record Integration(UUID tenantId, UUID id, String provider, IntegrationStatus status, String externalAccountId,
        List<String> scopes, String configJson, boolean hasAccessToken, boolean hasRefreshToken,
        OffsetDateTime tokenExpiresAt, OffsetDateTime connectedAt, OffsetDateTime lastSyncAt, String lastError,
        UUID createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    /** Copies the scopes, so the record stays immutable. */
    public Integration {
        scopes = List.copyOf(scopes);
    }
}
