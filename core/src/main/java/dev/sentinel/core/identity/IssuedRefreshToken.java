package dev.sentinel.core.identity;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A newly issued refresh token: hand {@link #token} to the client; Sentinel keeps only its digest.
 * {@link #toString} leaves the token out. Immutable.
 *
 * @param id the token's id
 * @param tenantId the tenant the session is in
 * @param userId the member whose session it is
 * @param familyId the rotation chain it belongs to
 * @param expiresAt when it stops working
 * @param token the token as the client presents it
 */
public record IssuedRefreshToken(UUID id, UUID tenantId, UUID userId, UUID familyId, OffsetDateTime expiresAt, String token) {

    @Override
    public String toString() {
        return "IssuedRefreshToken[id=" + id + ", tenant=" + tenantId + ", user=" + userId + ", family=" + familyId
                + ", expiresAt=" + expiresAt + ", token=(redacted)]";
    }
}
