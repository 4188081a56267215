package dev.sentinel.core.identity;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.MemberStatus;
import dev.sentinel.core.db.enums.MembershipRole;
import dev.sentinel.core.db.enums.RoleScope;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.enums.UserStatus;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scoped grants (global, tenant, narrowed to one resource: a widget of the test service), membership,
 * the default roles, revocation, and the audit row of every user, role and assignment change; all as
 * the application role.
 */
class AccessControlTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final AtomicInteger EMAILS = new AtomicInteger();

    private static Sentinel sentinel;
    private static UUID tenantA;
    private static UUID tenantB;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(4).build();
        tenantA = Tenants.create(sentinel);
        tenantB = Tenants.create(sentinel);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static String email() {
        return "person" + EMAILS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + "@example.com";
    }

    private static UUID newUser() {
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().create(email(), "Test Person").id());
    }

    /** A user who is a member of the tenant holding one default role. */
    private static UUID member(UUID tenant, String roleKey) {
        UUID user = newUser();
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, roleKey));
        return user;
    }

    /** A widget of the test service, registered as resource type {@code widget}. */
    private static Resource widget(UUID tenant) {
        return sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx -> Resource.of("widget",
                tx.table(WIDGETS).insert(new WidgetsRecord().setName("w-" + Long.toHexString(System.nanoTime()))).getId()));
    }

    @Test
    void aViewerInOneTenantCanBeAdminInAnother() {
        UUID user = member(tenantA, "viewer");
        sentinel.tenant(tenantB, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, "admin"));
        Actor actor = Actor.user(user);

        assertThatThrownBy(() -> sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("member:manage").hasMessageContaining(tenantA.toString());
        sentinel.tenant(tenantB, actor).useTransaction(tx -> tx.authorize("member:manage"));

        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.can(user, "member:manage", AccessScope.tenant(tenantA))).isFalse();
            assertThat(tx.can(user, "member:manage", AccessScope.tenant(tenantB))).isTrue();
            assertThat(tx.can(user, "member:manage", AccessScope.global())).isFalse();
        });
    }

    @Test
    void aResourceGrantCountsOnlyOnItsResource() {
        UUID user = member(tenantA, null);
        Resource widget = widget(tenantA);
        Resource otherWidget = widget(tenantA);
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> tx.roles().assign(user, "admin", widget));
        Actor actor = Actor.user(user);

        sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage", widget));
        assertThatThrownBy(() -> sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage", otherWidget)))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage")))
                .isInstanceOf(PermissionDeniedException.class);
        sentinel.tenant(tenantA, actor).useTransaction(tx -> {
            assertThat(tx.can(user, "member:manage", AccessScope.resource(tenantA, widget))).isTrue();
            assertThat(tx.can(user, "member:manage", AccessScope.resource(tenantA, otherWidget))).isFalse();
            assertThat(tx.can(user, "member:manage", AccessScope.tenant(tenantA))).isFalse();
            assertThat(tx.roles().grantsOf(user)).containsExactly(
                    new RoleGrant(user, "admin", AccessScope.resource(tenantA, widget), null));
        });
    }

    @Test
    void aGlobalGrantCountsInEveryTenantWithoutMembership() {
        UUID user = newUser();
        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            tx.roles().define("support", "Support", RoleScope.GLOBAL, Set.of("member:manage", "support:impersonate"));
            tx.roles().assign(user, "support");
        });
        Actor actor = Actor.user(user);
        for (UUID tenant : List.of(tenantA, tenantB)) {
            sentinel.tenant(tenant, actor).useTransaction(tx -> {
                tx.authorize("member:manage");
                assertThat(tx.can(user, "support:impersonate", AccessScope.tenant(tenant))).isTrue();
            });
        }
        sentinel.system(actor).useTransaction(tx -> tx.authorize("support:impersonate"));
        assertThatThrownBy(() -> sentinel.system(actor).useTransaction(tx -> tx.authorize("role:define")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("system scope");
    }

    @Test
    void aDisabledUserHoldsNoPermissionAnywhereUntilReEnabled() {
        UUID user = member(tenantA, "admin");
        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            tx.roles().define("auditor", "Auditor", RoleScope.GLOBAL, Set.of("audit:read"));
            tx.roles().assign(user, "auditor");
        });
        Actor actor = Actor.user(user);
        sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage"));
        sentinel.tenant(tenantB, actor).useTransaction(tx -> tx.authorize("audit:read"));

        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.users().changeStatus(user, UserStatus.DISABLED));
        // A tenant-wide grant as a member, and a global grant in a tenant the user is no member of.
        assertThatThrownBy(() -> sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("is disabled");
        assertThatThrownBy(() -> sentinel.tenant(tenantB, actor).useTransaction(tx -> tx.authorize("audit:read")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("is disabled");
        assertThatThrownBy(() -> sentinel.system(actor).useTransaction(tx -> tx.authorize("audit:read")))
                .isInstanceOf(PermissionDeniedException.class);
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.can(user, "member:manage", AccessScope.tenant(tenantA))).isFalse();
            assertThat(tx.can(user, "audit:read", AccessScope.global())).isFalse();
        });

        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.users().changeStatus(user, UserStatus.ACTIVE));
        sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage"));
        sentinel.tenant(tenantB, actor).useTransaction(tx -> assertThat(tx.can(user, "audit:read", AccessScope.tenant(tenantB))).isTrue());
    }

    @Test
    void aRevocationCountsInTheNextTransactionAndAtOnceInItsOwn() {
        UUID user = member(tenantA, "admin");
        UUID admin = member(tenantA, "admin");
        Actor actor = Actor.user(user);
        sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage"));

        sentinel.tenant(tenantA, Actor.user(admin)).useTransaction(tx -> assertThat(tx.roles().revoke(user, "admin")).isTrue());
        assertThatThrownBy(() -> sentinel.tenant(tenantA, actor).useTransaction(tx -> tx.authorize("member:manage")))
                .isInstanceOf(PermissionDeniedException.class);

        sentinel.tenant(tenantA, Actor.user(admin)).useTransaction(tx -> {
            tx.roles().assign(user, "admin");
            assertThat(tx.roles().revoke(user, "admin")).isTrue();
            assertThat(tx.roles().revoke(user, "admin")).isFalse();
        });
        // Revoking one's own grant in a transaction counts in that same transaction.
        sentinel.tenant(tenantA, Actor.user(admin)).useTransaction(tx -> {
            tx.authorize("role:assign");
            tx.roles().revoke(admin, "admin");
            assertThatThrownBy(() -> tx.authorize("role:assign")).isInstanceOf(PermissionDeniedException.class);
        });
    }

    @Test
    void aDeniedCheckWritesNothing() {
        UUID viewer = member(tenantA, "viewer");
        String invited = email();
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(viewer))
                .useTransaction(tx -> tx.members().invite(invited, SeatType.PRO, null)))
                .isInstanceOf(PermissionDeniedException.class);
        UUID target = newUser();
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(viewer))
                .useTransaction(tx -> tx.roles().assign(viewer, "admin")))
                .isInstanceOf(PermissionDeniedException.class);
        sentinel.system(Tenants.SETUP).useTransaction(tx -> assertThat(tx.users().findByEmail(invited)).isEmpty());
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.roles().grantsOf(viewer)).extracting(RoleGrant::roleKey).containsExactly("viewer");
            assertThat(tx.members().find(target)).isEmpty();
        });
        assertThatThrownBy(() -> sentinel.system(Actor.user(viewer)).useTransaction(tx -> tx.users().create(email(), null)))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("user:manage");
    }

    @Test
    void invitationsFindOrCreateTheUserAndCountOnceAccepted() {
        UUID admin = member(tenantA, "admin");
        String address = email();
        sentinel.system(Tenants.SETUP).useTransaction(tx ->
                tx.roles().define("widget_editor", "Widget editor", RoleScope.TENANT, Set.of("widget:write")));
        Member invited = sentinel.tenant(tenantA, Actor.user(admin))
                .inTransaction(tx -> tx.members().invite(address.toUpperCase(java.util.Locale.ROOT), SeatType.ENTERPRISE, "widget_editor"));
        assertThat(invited.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(invited.joinedAt()).isNull();
        assertThat(invited.invitedBy()).isEqualTo(admin);
        UUID user = invited.userId();

        // The same person invited by another tenant is the same global user.
        Member inB = sentinel.tenant(tenantB, Tenants.SETUP).inTransaction(tx -> tx.members().invite(address, SeatType.PRO, null));
        assertThat(inB.userId()).isEqualTo(user);

        // The role was assigned with the invitation, but counts only once the invitation is accepted.
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(user)).useTransaction(tx -> tx.authorize("widget:write")))
                .isInstanceOf(PermissionDeniedException.class);
        Member accepted = sentinel.tenant(tenantA, Actor.user(user)).inTransaction(tx -> tx.members().accept(user));
        assertThat(accepted.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(accepted.joinedAt()).isNotNull();
        sentinel.tenant(tenantA, Actor.user(user)).useTransaction(tx -> tx.authorize("widget:write"));
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(user)).useTransaction(tx -> tx.members().accept(user)))
                .isInstanceOf(InvalidStateTransitionException.class);
    }

    @Test
    void aRolledBackInvitationTakesItsNewUserAlongButNotOnCitus() {
        UUID admin = member(tenantA, "admin");
        String address = email();
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(admin)).useTransaction(tx -> {
            tx.members().invite(address, SeatType.PRO, "staff");
            throw new IllegalStateException("the caller's own failure after the invitation");
        })).isInstanceOf(IllegalStateException.class);
        Optional<User> user = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().findByEmail(address));
        if (ClusterCheck.isCitus(db.adminDataSource())) {
            // On Citus the new user is created in a transaction of its own (MembersImpl.invite): it stays, with
            // neither a membership nor credentials.
            assertThat(user).isPresent();
            assertThat(user.get().status()).isEqualTo(UserStatus.ACTIVE);
            sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx ->
                    assertThat(tx.members().find(user.get().id())).isEmpty());
        } else {
            assertThat(user).isEmpty();
        }
    }

    @Test
    void removingAMemberKeepsTheRowAndEndsItsGrants() {
        UUID user = member(tenantA, "admin");
        Resource widget = widget(tenantA);
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> {
            tx.roles().assign(user, "viewer", widget);
            tx.members().changeSeat(user, SeatType.ENTERPRISE);
            tx.members().changeRole(user, MembershipRole.OWNER);
            tx.members().remove(user);
        });
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> {
            Member removed = tx.members().find(user).orElseThrow();
            assertThat(removed.status()).isEqualTo(MemberStatus.REMOVED);
            assertThat(removed.seatType()).isEqualTo(SeatType.ENTERPRISE);
            assertThat(removed.role()).isEqualTo(MembershipRole.OWNER);
            assertThat(removed.removedAt()).isNotNull();
            assertThat(tx.members().list()).extracting(Member::userId).doesNotContain(user);
            assertThat(tx.roles().grantsOf(user)).isEmpty();
            assertThatThrownBy(() -> tx.members().remove(user)).isInstanceOf(NotFoundException.class);
        });
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(user)).useTransaction(tx -> tx.authorize("member:manage")))
                .isInstanceOf(PermissionDeniedException.class);
        // Added again, they start without the old grants.
        Member back = sentinel.tenant(tenantA, Tenants.SETUP).inTransaction(tx -> tx.members().add(user, SeatType.PRO, null));
        assertThat(back.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThatThrownBy(() -> sentinel.tenant(tenantA, Actor.user(user)).useTransaction(tx -> tx.authorize("member:manage")))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void everyUserRoleAndAssignmentChangeIsAudited() {
        Actor operator = Actor.service("ops-console");
        UUID user = sentinel.system(operator).inTransaction(tx -> {
            UUID id = tx.users().create(email(), "Audited").id();
            tx.users().rename(id, "Audited Person");
            tx.users().changeStatus(id, UserStatus.DISABLED);
            tx.roles().define("auditor", "Auditor", RoleScope.GLOBAL, Set.of("audit:read"));
            tx.roles().assign(id, "auditor");
            tx.roles().revoke(id, "auditor");
            return id;
        });
        List<AuditEntry> system = sentinel.system(operator).inTransaction(tx ->
                tx.audit().list(AuditFilter.all(), 200).entries()).stream()
                .filter(e -> "ops-console".equals(e.actorLabel())).toList();
        assertThat(system).filteredOn(e -> "users".equals(e.entityType()) && user.equals(e.entityId()))
                .extracting(AuditEntry::action).containsExactlyInAnyOrder("insert", "update", "update");
        assertThat(system).filteredOn(e -> "roles".equals(e.entityType())).extracting(AuditEntry::action).contains("insert");
        assertThat(system).filteredOn(e -> "role_permissions".equals(e.entityType())).isNotEmpty();
        assertThat(system).filteredOn(e -> "global_role_assignments".equals(e.entityType()))
                .extracting(AuditEntry::action).containsExactlyInAnyOrder("insert", "delete");

        UUID member = newUser();
        sentinel.tenant(tenantA, operator).useTransaction(tx -> {
            tx.members().add(member, SeatType.PRO, "staff");
            tx.members().changeSeat(member, SeatType.ENTERPRISE);
            tx.roles().revoke(member, "staff");
            tx.members().remove(member);
        });
        List<AuditEntry> tenant = sentinel.tenant(tenantA, operator).inTransaction(tx ->
                tx.audit().list(AuditFilter.all(), 200).entries()).stream()
                .filter(e -> "ops-console".equals(e.actorLabel())).toList();
        assertThat(tenant).filteredOn(e -> "tenant_members".equals(e.entityType()) && e.diff().contains(member.toString()))
                .extracting(AuditEntry::action).contains("insert");
        assertThat(tenant).filteredOn(e -> "tenant_members".equals(e.entityType())).extracting(AuditEntry::action)
                .contains("insert", "update");
        assertThat(tenant).filteredOn(e -> "tenant_role_assignments".equals(e.entityType()))
                .extracting(AuditEntry::action).contains("insert", "delete");
    }

    @Test
    void badInputIsATypedErrorBeforeAnyWrite() {
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> {
            assertThatThrownBy(() -> tx.authorize("Invoice Issue")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("resource:action");
            assertThatThrownBy(() -> tx.roles().assign(UUID.randomUUID(), "no_such_role")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> tx.roles().assign(UUID.randomUUID(), "admin")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("not a member");
            assertThatThrownBy(() -> tx.members().invite("not an address", SeatType.PRO, null))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> tx.members().add(UUID.randomUUID(), SeatType.PRO, null)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> tx.can(UUID.randomUUID(), "member:manage", AccessScope.tenant(tenantB)))
                    .isInstanceOf(TenantMismatchException.class);
            assertThatThrownBy(() -> tx.roles().define("x", "X", RoleScope.TENANT, Set.of())).isInstanceOf(MissingScopeException.class);
            assertThatThrownBy(() -> tx.users().create(email(), null)).isInstanceOf(MissingScopeException.class);
        });
        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            assertThatThrownBy(() -> tx.roles().assign(UUID.randomUUID(), "admin")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("tenant role");
            assertThatThrownBy(() -> tx.roles().define("admin", "Admin", RoleScope.GLOBAL, Set.of()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("scope cannot change");
            assertThatThrownBy(() -> tx.roles().define("r", "R", RoleScope.TENANT, Set.of("no-colon")))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> tx.users().setPasswordHash(UUID.randomUUID(), "hunter2"))
                    .isInstanceOf(InvalidInputException.class).message().doesNotContain("hunter2");
        });
    }

    @Test
    void purgeNeedsTheDataPurgePermission() {
        UUID user = newUser();
        UUID widget = widget(tenantA).id();
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> tx.table(WIDGETS).softDelete(widget, "test"));
        assertThatThrownBy(() -> sentinel.system(Actor.user(user)).useTransaction(tx -> tx.table(WIDGETS).purge(widget)))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("data:purge");
        sentinel.system(Tenants.SETUP).useTransaction(tx -> {
            tx.roles().define("eraser", "Eraser", RoleScope.GLOBAL, Set.of("data:purge"));
            tx.roles().assign(user, "eraser");
        });
        sentinel.system(Actor.user(user)).useTransaction(tx -> tx.table(WIDGETS).purge(widget));
        sentinel.system(Tenants.SETUP).useTransaction(tx -> assertThat(tx.table(WIDGETS).withDeleted().find(widget)).isEmpty());
    }

    @Test
    void theDefaultRolesExist() {
        sentinel.tenant(tenantA, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.roles().list()).extracting(Role::key).contains("admin", "staff", "viewer");
            assertThat(tx.roles().find("admin").orElseThrow().permissions())
                    .contains("member:manage", "role:assign", "api_key:manage");
            assertThat(tx.roles().find("viewer").orElseThrow().scope()).isEqualTo(RoleScope.TENANT);
        });
    }
}
