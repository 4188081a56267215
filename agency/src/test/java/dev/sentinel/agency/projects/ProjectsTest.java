package dev.sentinel.agency.projects;

import static dev.sentinel.agency.db.Tables.PROJECTS;
import static dev.sentinel.agency.db.Tables.PROJECT_ASSIGNMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.agency.db.enums.ProjectStatus;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Projects (validation, the status machine, optimistic locking, soft delete), assignments (only
 * active members), permissions and their audit rows, as the application role. Time, the price list
 * and environments are in {@link TimeAndPriceListTest}.
 */
class ProjectsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final AtomicInteger SLUGS = new AtomicInteger();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID otherTenant;
    private static UUID admin;
    private static UUID staff;
    private static UUID viewer;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4).build();
        tenant = Tenants.create(sentinel);
        otherTenant = Tenants.create(sentinel);
        admin = People.member(sentinel, tenant, "Ada Admin", "admin");
        staff = People.member(sentinel, tenant, "Sam Staff", "staff");
        viewer = People.member(sentinel, tenant, "Vic Viewer", "viewer");
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    static <T> T as(UUID user, Function<Tx, T> work) {
        return sentinel.tenant(tenant, Actor.user(user)).inTransaction(work::apply);
    }

    static void asUser(UUID user, Consumer<Tx> work) {
        sentinel.tenant(tenant, Actor.user(user)).useTransaction(work::accept);
    }

    static NewProject newProject(String name) {
        return NewProject.of("p-" + SLUGS.incrementAndGet(), name);
    }

    static Project project(String name) {
        return as(admin, tx -> tx.attach(Projects.class).create(newProject(name)));
    }

    static List<AuditEntry> audit(String table, UUID id) {
        return as(admin, tx -> tx.audit().list(AuditFilter.all().entity(table, id), 50).entries());
    }

    static int projectCount() {
        return as(admin, tx -> tx.dsl().fetchCount(PROJECTS));
    }

    /** Runs something that must fail with the given type and write nothing to the projects tables. */
    static void refusedWithoutWrites(Class<? extends Throwable> type, String message, ThrowingCallable call) {
        int projects = projectCount();
        int assignments = as(admin, tx -> tx.dsl().fetchCount(PROJECT_ASSIGNMENTS));
        long auditRows = as(admin, tx -> (long) tx.dsl().fetchCount(DSL.table("sentinel.audit_log")));
        assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(message);
        assertThat(projectCount()).isEqualTo(projects);
        assertThat(as(admin, (Tx tx) -> tx.dsl().fetchCount(PROJECT_ASSIGNMENTS))).isEqualTo(assignments);
        assertThat(as(admin, (Tx tx) -> (long) tx.dsl().fetchCount(DSL.table("sentinel.audit_log"))))
                .describedAs("no audit row either").isEqualTo(auditRows);
    }

    @Test
    void aCreatedProjectIsPlannedVersionedAndAuditedAsItsCreator() {
        Project created = as(admin, tx -> tx.attach(Projects.class).create(newProject("Website relaunch")
                .withBudget(new BigDecimal("12000.00"), "EUR")
                .withPeriod(LocalDate.of(2026, 1, 5), LocalDate.of(2026, 6, 30))));

        assertThat(created.status()).isEqualTo(ProjectStatus.PLANNED);
        assertThat(created.version()).isZero();
        assertThat(as(staff, (Tx tx) -> tx.attach(Projects.class).get(created.id()).name())).isEqualTo("Website relaunch");
        List<AuditEntry> trail = audit("agency.projects", created.id());
        assertThat(trail).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("insert");
            assertThat(entry.actorId()).isEqualTo(admin);
            assertThat(entry.diff()).contains("Website relaunch");
        });
    }

    @Test
    void invalidProjectsAreRefusedBeforeAnythingIsWritten() {
        refusedWithoutWrites(InvalidInputException.class, "slug",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("x").withSlug("Not A Slug"))));
        refusedWithoutWrites(InvalidInputException.class, "name",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("  "))));
        refusedWithoutWrites(InvalidInputException.class, "needs its currency",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("x").withBudget(BigDecimal.TEN, null))));
        refusedWithoutWrites(InvalidInputException.class, "is negative",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("x").withBudget(new BigDecimal("-1"), "EUR"))));
        refusedWithoutWrites(InvalidInputException.class, "ISO 4217",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("x").withBudget(BigDecimal.TEN, "eur"))));
        refusedWithoutWrites(InvalidInputException.class, "is before starts_on",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("x")
                        .withPeriod(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 31)))));
        refusedWithoutWrites(InvalidInputException.class, "planned, active or on_hold",
                () -> as(admin, tx -> tx.attach(Projects.class).create(newProject("x").withStatus(ProjectStatus.COMPLETED))));
    }

    @Test
    void aSlugIsUniqueAmongTheTenantsLiveProjectsOnly() {
        Project first = project("First");
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).create(newProject("Second").withSlug(first.slug()))))
                .isInstanceOf(UniqueViolationException.class).hasMessageContaining("projects_slug_live_key");
        // Another tenant may use it.
        sentinel.tenant(otherTenant, Tenants.SETUP).useTransaction(tx ->
                tx.attach(Projects.class).create(newProject("Elsewhere").withSlug(first.slug())));

        as(admin, tx -> tx.attach(Projects.class).softDelete(first.id(), "renamed"));
        Project second = as(admin, tx -> tx.attach(Projects.class).create(newProject("Second").withSlug(first.slug())));
        assertThat(second.slug()).isEqualTo(first.slug());
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).restore(first.id())))
                .isInstanceOf(UniqueViolationException.class);
    }

    @Test
    void theStatusMovesOnlyAlongTheMachine() {
        UUID id = project("Machine").id();
        as(admin, tx -> tx.attach(Projects.class).changeStatus(id, ProjectStatus.ACTIVE));
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).changeStatus(id, ProjectStatus.PLANNED)))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("is active and cannot become planned")
                .hasMessageContaining("on_hold, completed, cancelled");
        as(admin, tx -> tx.attach(Projects.class).changeStatus(id, ProjectStatus.COMPLETED));
        Project reopened = as(admin, tx -> tx.attach(Projects.class).changeStatus(id, ProjectStatus.ACTIVE));
        assertThat(reopened.status()).isEqualTo(ProjectStatus.ACTIVE);
        assertThat(reopened.version()).isEqualTo(3);
        as(admin, tx -> tx.attach(Projects.class).changeStatus(id, ProjectStatus.CANCELLED));
        for (ProjectStatus next : ProjectStatus.values()) {
            assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).changeStatus(id, next)))
                    .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("final");
        }
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).get(id).status())).isEqualTo(ProjectStatus.CANCELLED);
        assertThat(audit("agency.projects", id)).extracting(AuditEntry::action)
                .containsExactly("update", "update", "update", "update", "insert");
    }

    @Test
    void updateSavesFieldsWithOptimisticLockingButNotTheStatus() {
        Project read = project("Locking");
        Project updated = as(staff, tx -> tx.attach(Projects.class).update(read.id(), read.version(),
                read.change().withName("Locking, renamed")));
        assertThat(updated.name()).isEqualTo("Locking, renamed");
        assertThat(updated.version()).isEqualTo(1);

        Project stale = as(admin, tx -> tx.attach(Projects.class).get(read.id()));
        as(admin, tx -> {
            Project current = tx.attach(Projects.class).get(read.id());
            return tx.attach(Projects.class).update(read.id(), current.version(), current.change().withDescription("first writer"));
        });
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).update(read.id(), stale.version(),
                stale.change().withDescription("second writer"))))
                .isInstanceOf(StaleRecordException.class).hasMessageContaining("read it again");

        Project again = as(admin, tx -> tx.attach(Projects.class).get(read.id()));
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).update(read.id(), again.version(),
                again.change().withBudget(BigDecimal.ONE, null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("currency");
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).get(read.id()).description())).isEqualTo("first writer");
    }

    @Test
    void softDeletedProjectsAreHiddenAndCanBeRestored() {
        UUID id = project("Hidden").id();
        as(admin, tx -> tx.attach(Projects.class).softDelete(id, "duplicate"));
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).find(id))).isEmpty();
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).get(id))).isInstanceOf(NotFoundException.class);
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).list(null, PageRequest.first(1000)).items()))
                .extracting(Project::id).doesNotContain(id);
        assertThatThrownBy(() -> as(admin, tx -> tx.attach(Projects.class).softDelete(id, "again")))
                .isInstanceOf(InvalidStateTransitionException.class);
        as(admin, tx -> tx.attach(Projects.class).restore(id));
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).find(id))).isPresent();
        assertThat(audit("agency.projects", id)).extracting(AuditEntry::action).containsExactly("restore", "soft_delete", "insert");
    }

    @Test
    void listingFiltersByStatus() {
        UUID active = project("Listed active").id();
        as(admin, tx -> tx.attach(Projects.class).changeStatus(active, ProjectStatus.ACTIVE));
        UUID planned = project("Listed planned").id();
        List<UUID> activeIds = as(admin, tx -> tx.attach(Projects.class).list(ProjectStatus.ACTIVE, PageRequest.first(1000)).items())
                .stream().map(Project::id).toList();
        assertThat(activeIds).contains(active).doesNotContain(planned);
    }

    @Test
    void onlyActiveMembersOfTheTenantCanBeAssigned() {
        UUID projectId = project("Staffing").id();
        UUID outsider = People.user(sentinel, "Olga Outsider");
        UUID foreigner = People.member(sentinel, otherTenant, "Fred Foreign", null);

        refusedWithoutWrites(InvalidInputException.class, "not an active member",
                () -> as(admin, tx -> tx.attach(Projects.class).assignments().assign(projectId, outsider, AssignmentRole.MEMBER, null)));
        refusedWithoutWrites(InvalidInputException.class, "not an active member",
                () -> as(admin, tx -> tx.attach(Projects.class).assignments().assign(projectId, foreigner, AssignmentRole.MEMBER, null)));

        String invitedEmail = "invited-" + Long.toHexString(System.nanoTime()) + "@example.com";
        UUID invited = sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.members().invite(invitedEmail, SeatType.PRO, null).userId());
        refusedWithoutWrites(InvalidInputException.class, "not an active member",
                () -> as(admin, tx -> tx.attach(Projects.class).assignments().assign(projectId, invited, AssignmentRole.MEMBER, null)));

        Assignment assigned = as(admin, tx ->
                tx.attach(Projects.class).assignments().assign(projectId, staff, AssignmentRole.MEMBER, null));
        assertThat(assigned.role()).isEqualTo(AssignmentRole.MEMBER);
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).assignments().of(projectId))).extracting(Assignment::userId)
                .containsExactly(staff);
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).assignments().ofUser(staff)))
                .extracting(Assignment::projectId).contains(projectId);
    }

    @Test
    void assigningAgainChangesRoleAndRateOfTheOneAssignment() {
        UUID projectId = as(admin, tx -> tx.attach(Projects.class).create(newProject("Rates").withCurrency("EUR"))).id();
        as(admin, tx -> tx.attach(Projects.class).assignments().assign(projectId, staff, AssignmentRole.MEMBER, new BigDecimal("80.00")));
        Assignment changed = as(admin, tx ->
                tx.attach(Projects.class).assignments().assign(projectId, staff, AssignmentRole.LEAD, new BigDecimal("95.00")));

        assertThat(changed.role()).isEqualTo(AssignmentRole.LEAD);
        assertThat(changed.hourlyRate()).isEqualByComparingTo("95.00");
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).assignments().of(projectId))).hasSize(1);
        List<AuditEntry> trail = as(admin, tx -> tx.audit().list(AuditFilter.all().action("update"), 1000).entries())
                .stream().filter(e -> "agency.project_assignments".equals(e.entityType()) && e.diff().contains("95.00")).toList();
        assertThat(trail).singleElement().satisfies(e -> assertThat(e.diff()).contains("\"lead\"").contains("80.00"));
    }

    @Test
    void aRateNeedsTheProjectsCurrencyAndAFinishedProjectTakesNoAssignments() {
        UUID noCurrency = project("No currency").id();
        refusedWithoutWrites(InvalidInputException.class, "has no currency",
                () -> as(admin, tx -> tx.attach(Projects.class).assignments().assign(noCurrency, staff, AssignmentRole.MEMBER, BigDecimal.TEN)));
        UUID withCurrency = as(admin, tx -> tx.attach(Projects.class).create(newProject("Currency").withCurrency("EUR"))).id();
        refusedWithoutWrites(InvalidInputException.class, "is negative",
                () -> as(admin, tx -> tx.attach(Projects.class).assignments().assign(withCurrency, staff, AssignmentRole.MEMBER,
                        new BigDecimal("-5"))));

        as(admin, tx -> tx.attach(Projects.class).changeStatus(noCurrency, ProjectStatus.ACTIVE));
        as(admin, tx -> tx.attach(Projects.class).changeStatus(noCurrency, ProjectStatus.COMPLETED));
        refusedWithoutWrites(InvalidStateTransitionException.class, "reopen it",
                () -> as(admin, tx -> tx.attach(Projects.class).assignments().assign(noCurrency, staff, AssignmentRole.MEMBER, null)));
    }

    @Test
    void unassigningEndsTheAssignmentAndSaysSoWhenThereIsNone() {
        UUID projectId = project("Leaving").id();
        as(admin, tx -> tx.attach(Projects.class).assignments().assign(projectId, staff, AssignmentRole.REVIEWER, null));
        asUser(admin, tx -> tx.attach(Projects.class).assignments().unassign(projectId, staff));
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).assignments().of(projectId))).isEmpty();
        assertThatThrownBy(() -> asUser(admin, tx -> tx.attach(Projects.class).assignments().unassign(projectId, staff)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("not assigned");
        List<String> actions = as(admin, tx -> tx.audit().list(AuditFilter.all(), 1000).entries()).stream()
                .filter(e -> "agency.project_assignments".equals(e.entityType()) && e.diff().contains(projectId.toString()))
                .map(AuditEntry::action).toList();
        assertThat(actions).containsExactly("delete", "insert");
    }

    @Test
    void aViewerChangesNothingAndStaffOnlyWhatTheDefaultRolesGive() {
        UUID projectId = project("Guarded").id();
        refusedWithoutWrites(PermissionDeniedException.class, "project:create",
                () -> as(viewer, tx -> tx.attach(Projects.class).create(newProject("Viewer's"))));
        refusedWithoutWrites(PermissionDeniedException.class, "project:update",
                () -> as(viewer, tx -> tx.attach(Projects.class).changeStatus(projectId, ProjectStatus.ACTIVE)));
        refusedWithoutWrites(PermissionDeniedException.class, "project:delete",
                () -> as(viewer, tx -> tx.attach(Projects.class).softDelete(projectId, "viewer")));
        refusedWithoutWrites(PermissionDeniedException.class, "project:assign",
                () -> as(viewer, tx -> tx.attach(Projects.class).assignments().assign(projectId, viewer, AssignmentRole.MEMBER, null)));
        // Reading needs no permission.
        assertThat(as(viewer, (Tx tx) -> tx.attach(Projects.class).get(projectId).name())).isEqualTo("Guarded");

        refusedWithoutWrites(PermissionDeniedException.class, "project:create",
                () -> as(staff, tx -> tx.attach(Projects.class).create(newProject("Staff's"))));
        refusedWithoutWrites(PermissionDeniedException.class, "project:assign",
                () -> as(staff, tx -> tx.attach(Projects.class).assignments().assign(projectId, staff, AssignmentRole.MEMBER, null)));
        assertThat(as(staff, (Tx tx) -> tx.attach(Projects.class).changeStatus(projectId, ProjectStatus.ACTIVE)).status()).isEqualTo(ProjectStatus.ACTIVE);
    }

    @Test
    void aGrantNarrowedToAProjectCountsOnlyThere() {
        UUID lead = People.member(sentinel, tenant, "Liz Lead", null);
        UUID mine = project("Mine").id();
        UUID theirs = project("Theirs").id();
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.roles().assign(lead, "admin", Projects.resource(mine)));

        as(lead, tx -> tx.attach(Projects.class).assignments().assign(mine, staff, AssignmentRole.MEMBER, null));
        refusedWithoutWrites(PermissionDeniedException.class, "project:assign",
                () -> as(lead, tx -> tx.attach(Projects.class).assignments().assign(theirs, staff, AssignmentRole.MEMBER, null)));
        refusedWithoutWrites(PermissionDeniedException.class, "project:create",
                () -> as(lead, tx -> tx.attach(Projects.class).create(newProject("Lead's own"))));
    }

    @Test
    void anotherTenantsProjectIsNotFoundAndTheSystemScopeHasNoProjects() {
        UUID projectId = project("Private").id();
        sentinel.tenant(otherTenant, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.attach(Projects.class).find(projectId)).isEmpty();
            assertThatThrownBy(() -> tx.attach(Projects.class).changeStatus(projectId, ProjectStatus.ACTIVE))
                    .isInstanceOf(NotFoundException.class);
        });
        assertThatThrownBy(() -> sentinel.tenant(otherTenant, Tenants.SETUP).useTransaction(tx ->
                tx.attach(Projects.class).assignments().assign(projectId, staff, AssignmentRole.MEMBER, null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.attach(Projects.class)))
                .isInstanceOf(MissingScopeException.class).hasMessageContaining("tx.attach(Projects.class) needs a tenant scope");
        assertThat(as(admin, (Tx tx) -> tx.attach(Projects.class).get(projectId).status())).isEqualTo(ProjectStatus.PLANNED);
    }
}
