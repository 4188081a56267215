package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.db.enums.MemberStatus;
import dev.sentinel.core.db.enums.MembershipRole;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.identity.Member;
import dev.sentinel.core.identity.Members;
import dev.sentinel.core.identity.Role;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;

/** {@link Members} on one tenant transaction. */
final class MembersImpl implements Members {

    /**
     * A tenant sees the user rows of the members who accepted; of a pending invitation it knows the
     * address it invited (null for one made by id).
     */
    private static final String SELECT = "select m.user_id, coalesce(u.email, m.invited_email), u.display_name, m.role,"
            + " m.seat_type, m.status, m.invited_by, m.joined_at, m.removed_at from sentinel.tenant_members m"
            + " left join sentinel.users u on u.id = m.user_id where m.tenant_id = ?";

    private final TxImpl tx;
    private final UUID tenant;

    MembersImpl(TxImpl tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.members() (users themselves are managed with tx.users() in the system scope)");
    }

    private DSLContext dsl() {
        return tx.dsl();
    }

    @Override
    public Member invite(String email, SeatType seatType, String roleKey) {
        UsersImpl.requireEmail(email, "members().invite");
        requireSeat(seatType, "invite");
        Role role = requireTenantRole(roleKey, "invite");
        tx.authorize("member:manage");
        UUID userId = findOrCreateUser(email.strip());
        dsl().execute("insert into sentinel.tenant_members (tenant_id, user_id, seat_type, status, invited_by, joined_at, invited_email)"
                + " values (?, ?, ?, 'invited', ?, null, ?)"
                + " on conflict (tenant_id, user_id) do update set status = 'invited', seat_type = excluded.seat_type,"
                + " invited_by = excluded.invited_by, joined_at = null, removed_at = null, removed_by = null,"
                + " invited_email = excluded.invited_email"
                + " where tenant_members.status = 'removed'", tenant, userId, seatType.literal(), actorUser(), email.strip());
        assignRole(userId, role);
        return find(userId).orElseThrow();
    }

    /**
     * The id of the user with this address, created if there is none. The lookup runs as the owner
     * (kernel V25), since the tenant's role may not read or write other tenants' users. On a Citus
     * coordinator a new user is created in a transaction of its own on the system scope's pool,
     * committed before the invitation: Citus refuses, for the rest of a transaction, the tenant
     * role's access to the placements the owner wrote in it (the users row and its audit row), so
     * the invitation could not follow in the same transaction. There the user outlives an
     * invitation that rolls back (an account with no membership and no credentials), and its
     * creation is in the system trail rather than the tenant's.
     */
    private UUID findOrCreateUser(String email) {
        String sql = "select sentinel.find_or_create_user(?, ?, null)";
        if (!tx.runner().onCitus()) {
            return dsl().fetchSingle(sql, Ids.next(), email).get(0, UUID.class);
        }
        return tx.runner().runBeside(new ScopeSpec(null, tx.actor()),
                system -> system.dsl().fetchSingle(sql, Ids.next(), email).get(0, UUID.class));
    }

    @Override
    public Member add(UUID userId, SeatType seatType, String roleKey) {
        if (userId == null) {
            throw new InvalidInputException("members().add: userId is null");
        }
        requireSeat(seatType, "add");
        Role role = requireTenantRole(roleKey, "add");
        tx.authorize("member:manage");
        // The tenant cannot see a user who is not yet its member: ask through the invitation function's
        // narrow lookup instead of inserting and tripping the foreign key (which would abort the transaction).
        if (!dsl().fetchSingle("select sentinel.user_exists(?)", userId)
                .get(0, Boolean.class)) {
            throw new NotFoundException("members().add: there is no live user " + userId + "; create it in the system scope"
                    + " (tx.users().create) or invite by e-mail address (members().invite)");
        }
        // The database lets a membership become active only by the user or the service itself
        // (sentinel.guard_membership): added by another user, it is an invitation the user accepts.
        boolean active = mayActivate(userId);
        dsl().execute("insert into sentinel.tenant_members (tenant_id, user_id, seat_type, status, invited_by, joined_at)"
                + " values (?, ?, ?, ?, ?, ?::timestamptz)"
                + " on conflict (tenant_id, user_id) do update set status = excluded.status, seat_type = excluded.seat_type,"
                + " joined_at = excluded.joined_at, removed_at = null, removed_by = null"
                + " where tenant_members.status <> 'active'", tenant, userId, seatType.literal(), active ? "active" : "invited",
                actorUser(), active ? tx.now() : null);
        assignRole(userId, role);
        return find(userId).orElseThrow();
    }

    @Override
    public Member accept(UUID userId) {
        Member member = find(userId).orElseThrow(() -> new NotFoundException("members().accept: user " + userId
                + " has no invitation to tenant " + tenant));
        if (member.status() != MemberStatus.INVITED) {
            throw new InvalidStateTransitionException("members().accept: the membership of user " + userId + " is "
                    + member.status().literal() + ", not invited; nothing to accept");
        }
        if (!mayActivate(userId)) {
            throw new PermissionDeniedException("members().accept: only user " + userId + " accepts their invitation to tenant "
                    + tenant + " (or the service itself, as Actor.service); nothing was written");
        }
        dsl().execute("update sentinel.tenant_members set status = 'active', joined_at = ?::timestamptz where tenant_id = ? and user_id = ?",
                tx.now(), tenant, userId);
        return find(userId).orElseThrow();
    }

    @Override
    public Member changeSeat(UUID userId, SeatType seatType) {
        requireSeat(seatType, "changeSeat");
        return change(userId, "seat_type", seatType.literal(), "changeSeat");
    }

    @Override
    public Member changeRole(UUID userId, MembershipRole role) {
        if (role == null) {
            throw new InvalidInputException("members().changeRole: role is null; pass a MembershipRole");
        }
        return change(userId, "role", role.literal(), "changeRole");
    }

    private Member change(UUID userId, String column, String value, String operation) {
        tx.authorize("member:manage");
        if (dsl().execute("update sentinel.tenant_members set " + column + " = ? where tenant_id = ? and user_id = ?"
                + " and status <> 'removed'", value, tenant, userId) == 0) {
            throw new NotFoundException("members()." + operation + ": user " + userId + " is not a member of tenant " + tenant);
        }
        return find(userId).orElseThrow();
    }

    @Override
    public void remove(UUID userId) {
        tx.authorize("member:manage");
        if (dsl().execute("update sentinel.tenant_members set status = 'removed', removed_at = ?::timestamptz, removed_by = ?"
                + " where tenant_id = ? and user_id = ? and status <> 'removed'", tx.now(), actorUser(), tenant, userId) == 0) {
            throw new NotFoundException("members().remove: user " + userId + " is not a member of tenant " + tenant);
        }
        // What the membership granted ends with it: roles and sessions (and, through their own
        // triggers on tenant_members, what modules attached to it, such as project assignments).
        dsl().execute("delete from sentinel.tenant_role_assignments where tenant_id = ? and user_id = ?", tenant, userId);
        dsl().execute("update sentinel.refresh_tokens set revoked_at = ?::timestamptz, revoke_reason = 'admin'"
                + " where tenant_id = ? and user_id = ? and revoked_at is null", tx.now(), tenant, userId);
        tx.authorizer().invalidate();
    }

    @Override
    public Optional<Member> find(UUID userId) {
        return dsl().fetchOptional(SELECT + " and m.user_id = ?", tenant, userId).map(MembersImpl::member);
    }

    @Override
    public List<Member> list() {
        return dsl().fetch(SELECT + " and m.status <> 'removed' order by lower(u.email)", tenant).map(MembersImpl::member);
    }

    private void assignRole(UUID userId, Role role) {
        if (role != null) {
            new RolesImpl(tx).assign(userId, role, null);
        }
    }

    /** The role to assign with the membership, checked (it exists, it is a tenant role) before anything is written. */
    private Role requireTenantRole(String roleKey, String operation) {
        if (roleKey == null) {
            return null;
        }
        tx.authorize("role:assign");
        return new RolesImpl(tx).requireRole(roleKey, null, "assign");
    }

    private static void requireSeat(SeatType seatType, String operation) {
        if (seatType == null) {
            throw new InvalidInputException("members()." + operation + ": seatType is null; pass SeatType.FREE_BETA for the default seat");
        }
    }

    /** Only the user, or the service's own work, makes a membership active. */
    private boolean mayActivate(UUID userId) {
        return tx.actor().serviceName().isPresent() || userId.equals(actorUser());
    }

    private UUID actorUser() {
        return tx.actor().userId().orElse(null);
    }

    private static Member member(Record row) {
        return new Member(row.get(0, UUID.class), row.get(1, String.class), row.get(2, String.class),
                MembershipRole.ofLiteral(row.get(3, String.class)), SeatType.ofLiteral(row.get(4, String.class)),
                MemberStatus.ofLiteral(row.get(5, String.class)), row.get(6, UUID.class),
                row.get(7, OffsetDateTime.class), row.get(8, OffsetDateTime.class));
    }
}
