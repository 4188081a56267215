package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.MembershipRole;
import dev.sentinel.core.db.enums.SeatType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The members of this transaction's tenant ({@link dev.sentinel.core.Tx#members()}). Tenant scope
 * only. Every change needs {@code member:manage} and leaves an audit row.
 */
public interface Members {

    /**
     * Invites a person by e-mail address: finds the user with that address (case-insensitive) or
     * creates one, and adds an invited membership, which counts once {@link #accept accepted}.
     * Inviting a removed member invites them again; inviting a current member changes nothing.
     * On a Citus coordinator a user this creates is committed first, in a system-scope
     * transaction of its own on the system pool, so it outlives an invitation that rolls back
     * (docs/recipes.md says why).
     *
     * @param email the address
     * @param seatType the seat to bill once they accept
     * @param roleKey a tenant role to assign (it counts from acceptance), or null for none
     * @return the membership
     * @throws dev.sentinel.core.InvalidInputException for a malformed address
     * @throws dev.sentinel.core.NotFoundException for an unknown role
     * @throws dev.sentinel.core.PermissionDeniedException without {@code member:manage}
     */
    Member invite(String email, SeatType seatType, String roleKey);

    /**
     * Adds an existing user: as an active member at once when the actor is a service (provisioning
     * accounts, for example) or the user themselves; added by another user, however privileged, the
     * membership is an invitation the user accepts ({@link #accept}), since the database lets a
     * membership become active only by the user's acceptance or the service's own work. Adding a
     * removed member restores them; adding a current member changes nothing.
     *
     * @param userId the user
     * @param seatType the seat
     * @param roleKey a tenant role to assign, or null for none
     * @return the membership
     * @throws dev.sentinel.core.NotFoundException if the user or role does not exist; also, when a
     *     user other than the added one acts, if the user has no membership row in this tenant (a
     *     tenant learns nothing about other tenants' users: invite them by address with {@link #invite})
     * @throws dev.sentinel.core.PermissionDeniedException without {@code member:manage}
     */
    Member add(UUID userId, SeatType seatType, String roleKey);

    /**
     * Accepts an invitation: the membership becomes active. Only the invited user (acting as
     * themselves) or the service ({@code Actor.service}) accepts; the database refuses anyone else.
     *
     * @param userId the invited user
     * @return the membership
     * @throws dev.sentinel.core.NotFoundException if there is no invitation
     * @throws dev.sentinel.core.InvalidStateTransitionException if the membership is not invited
     * @throws dev.sentinel.core.PermissionDeniedException if the actor is another user
     */
    Member accept(UUID userId);

    /**
     * Changes a member's seat.
     *
     * @param userId the member
     * @param seatType the new seat
     * @return the membership
     * @throws dev.sentinel.core.NotFoundException if the user is not a current member
     */
    Member changeSeat(UUID userId, SeatType seatType);

    /**
     * Changes a member's coarse membership role.
     *
     * @param userId the member
     * @param role the new role
     * @return the membership
     * @throws dev.sentinel.core.NotFoundException if the user is not a current member
     */
    Member changeRole(UUID userId, MembershipRole role);

    /**
     * Removes a member: the membership stays as history with status removed, and the member's
     * role assignments in this tenant and their sessions (refresh tokens) are deleted, in this
     * transaction.
     *
     * @param userId the member
     * @throws dev.sentinel.core.NotFoundException if the user is not a current or invited member
     */
    void remove(UUID userId);

    /**
     * A membership, whatever its status.
     *
     * @param userId the user
     * @return the membership, or empty
     */
    Optional<Member> find(UUID userId);

    /**
     * The invited and active members, by e-mail address.
     *
     * @return the members
     */
    List<Member> list();
}
