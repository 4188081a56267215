package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.MemberStatus;
import dev.sentinel.core.db.enums.MembershipRole;
import dev.sentinel.core.db.enums.SeatType;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A user's membership in the tenant, with the user's e-mail address and name. Immutable.
 *
 * @param userId the user
 * @param email the user's e-mail address
 * @param displayName the user's display name, or null
 * @param role the coarse membership role
 * @param seatType the billed seat
 * @param status invited, active or removed
 * @param invitedBy the user who invited or added the member, or null if a service did
 * @param joinedAt when the member joined; null while invited
 * @param removedAt when the member was removed, or null
 */
public record Member(UUID userId, String email, String displayName, MembershipRole role, SeatType seatType,
                     MemberStatus status, UUID invitedBy, OffsetDateTime joinedAt, OffsetDateTime removedAt) {
}
