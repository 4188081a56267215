package dev.sentinel.agency.projects;

import static dev.sentinel.agency.db.Tables.ENVIRONMENTS;
import static dev.sentinel.agency.db.Tables.SERVICES;
import static dev.sentinel.agency.db.Tables.TIME_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.agency.db.enums.ProjectStatus;
import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Time entries (who may book, the rate each keeps, totals per project and per person for a
 * period), the price list and environments, with their errors and audit rows, as the application
 * role. Each test uses its own tenant, so totals see only its own time.
 */
class TimeAndPriceListTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final LocalDate MAR_2 = LocalDate.of(2026, 3, 2);
    private static final DateRange MARCH = DateRange.month(YearMonth.of(2026, 3));
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    /** A tenant with an admin, two staff members and a viewer. */
    private record Team(UUID tenant, UUID admin, UUID alice, UUID bob, UUID viewer) {

        <T> T as(UUID user, Function<Tx, T> work) {
            return sentinel.tenant(tenant, Actor.user(user)).inTransaction(work::apply);
        }

        <T> T asService(Function<Tx, T> work) {
            return sentinel.tenant(tenant, Tenants.SETUP).inTransaction(work::apply);
        }

        Project project(String currency) {
            return as(admin, (Tx tx) -> tx.attach(Projects.class).create(NewProject.of("p-" + NAMES.incrementAndGet(), "Project")
                    .withCurrency(currency)));
        }

        void assign(UUID projectId, UUID user, String rate) {
            as(admin, (Tx tx) -> tx.attach(Projects.class).assignments().assign(projectId, user, AssignmentRole.MEMBER,
                    rate == null ? null : new BigDecimal(rate)));
        }

        Service service(String code, ServiceUnit unit, String price, String currency) {
            return as(admin, (Tx tx) -> tx.attach(Projects.class).priceList().create(
                    NewService.of(code, code, new BigDecimal(price), currency).withUnit(unit)));
        }

        TimeEntry log(UUID user, UUID projectId, LocalDate day, int minutes) {
            return as(user, (Tx tx) -> tx.attach(Projects.class).time().log(entry(projectId, day, minutes)));
        }

        int timeEntries() {
            return as(admin, (Tx tx) -> tx.dsl().fetchCount(TIME_ENTRIES));
        }

        List<AuditEntry> audit(String table, UUID id) {
            return as(admin, (Tx tx) -> tx.audit().list(AuditFilter.all().entity(table, id), 50).entries());
        }

        void refusedWithoutWrites(Class<? extends Throwable> type, String message, ThrowingCallable call) {
            int entries = timeEntries();
            int services = as(admin, (Tx tx) -> tx.dsl().fetchCount(SERVICES));
            int environments = as(admin, (Tx tx) -> tx.dsl().fetchCount(ENVIRONMENTS));
            assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(message);
            assertThat(timeEntries()).isEqualTo(entries);
            assertThat(as(admin, (Tx tx) -> tx.dsl().fetchCount(SERVICES))).isEqualTo(services);
            assertThat(as(admin, (Tx tx) -> tx.dsl().fetchCount(ENVIRONMENTS))).isEqualTo(environments);
        }
    }

    private static Team team() {
        UUID tenant = Tenants.create(sentinel);
        return new Team(tenant, People.member(sentinel, tenant, "Admin", "admin"),
                People.member(sentinel, tenant, "Alice", "staff"), People.member(sentinel, tenant, "Bob", "staff"),
                People.member(sentinel, tenant, "Viewer", "viewer"));
    }

    private static NewTimeEntry entry(UUID projectId, LocalDate day, int minutes) {
        return NewTimeEntry.of(projectId, day, minutes);
    }

    @Test
    void anEntryKeepsTheRateItWasBookedAt() {
        Team t = team();
        UUID project = t.project("EUR").id();
        t.assign(project, t.alice(), "90.00");
        t.assign(project, t.bob(), null);
        Service design = t.service("DESIGN", ServiceUnit.HOUR, "120.00", "EUR");
        Service hosting = t.service("HOSTING", ServiceUnit.MONTH, "40.00", "EUR");

        TimeEntry fromAssignment = t.log(t.alice(), project, MAR_2, 60);
        TimeEntry fromService = t.as(t.bob(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30)
                .withServiceId(design.id())));
        TimeEntry notHourly = t.as(t.bob(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30)
                .withServiceId(hosting.id())));
        TimeEntry explicit = t.as(t.bob(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30)
                .withRate(new BigDecimal("150.00"), "USD")));

        assertThat(fromAssignment.hourlyRate()).isEqualByComparingTo("90.00");
        assertThat(fromAssignment.currency()).isEqualTo("EUR");
        assertThat(fromAssignment.userId()).describedAs("defaults to the acting user").isEqualTo(t.alice());
        assertThat(fromAssignment.billable()).isTrue();
        assertThat(fromService.hourlyRate()).isEqualByComparingTo("120.00");
        assertThat(notHourly.hourlyRate()).describedAs("a monthly price is no hourly rate").isNull();
        assertThat(explicit.hourlyRate()).isEqualByComparingTo("150.00");
        assertThat(explicit.currency()).isEqualTo("USD");

        // A later change of the rate does not rewrite booked time.
        t.assign(project, t.alice(), "100.00");
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).time().get(fromAssignment.id()).hourlyRate()))
                .isEqualByComparingTo("90.00");
        assertThat(t.log(t.alice(), project, MAR_2.plusDays(1), 15).hourlyRate()).isEqualByComparingTo("100.00");
        assertThat(t.audit("agency.time_entries", fromAssignment.id())).singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo("insert"));
    }

    @Test
    void onlyAssignedPeopleBookTimeOnOpenProjectsWithinADay() {
        Team t = team();
        UUID project = t.project("EUR").id();
        t.assign(project, t.alice(), null);
        Service retired = t.service("OLD", ServiceUnit.HOUR, "50.00", "EUR");
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().deactivate(retired.id()));

        t.refusedWithoutWrites(InvalidInputException.class, "is not assigned to project",
                () -> t.log(t.bob(), project, MAR_2, 30));
        t.refusedWithoutWrites(InvalidInputException.class, "duration_minutes 0 is outside 1..1440",
                () -> t.log(t.alice(), project, MAR_2, 0));
        t.refusedWithoutWrites(InvalidInputException.class, "duration_minutes 1441",
                () -> t.log(t.alice(), project, MAR_2, 1441));
        t.refusedWithoutWrites(InvalidInputException.class, "work_date is required",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, null, 30))));
        t.refusedWithoutWrites(InvalidInputException.class, "inactive",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30).withServiceId(retired.id()))));
        t.refusedWithoutWrites(InvalidInputException.class, "go together",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30).withRate(BigDecimal.TEN, null))));
        t.refusedWithoutWrites(InvalidInputException.class, "user_id is required when a service books time",
                () -> t.asService(tx -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30))));
        t.refusedWithoutWrites(NotFoundException.class, "projects",
                () -> t.log(t.alice(), UUID.randomUUID(), MAR_2, 30));

        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).changeStatus(project, ProjectStatus.ACTIVE));
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).changeStatus(project, ProjectStatus.COMPLETED));
        t.refusedWithoutWrites(InvalidStateTransitionException.class, "is completed; reopen it",
                () -> t.log(t.alice(), project, MAR_2, 30));
        // A service may book for anyone who is assigned.
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).changeStatus(project, ProjectStatus.ACTIVE));
        assertThat(t.asService(tx -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30).withUserId(t.alice()))).userId())
                .isEqualTo(t.alice());
    }

    @Test
    void ownTimeNeedsWriteAndOthersTimeNeedsManage() {
        Team t = team();
        UUID project = t.project(null).id();
        t.assign(project, t.alice(), null);
        t.assign(project, t.bob(), null);
        t.assign(project, t.viewer(), null);

        TimeEntry own = t.log(t.alice(), project, MAR_2, 45);
        t.refusedWithoutWrites(PermissionDeniedException.class, "time_entry:manage",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30).withUserId(t.bob()))));
        t.refusedWithoutWrites(PermissionDeniedException.class, "time_entry:manage",
                () -> t.as(t.bob(), (Tx tx) -> tx.attach(Projects.class).time().correct(own.id(),
                        tx.attach(Projects.class).time().get(own.id()).change().withDurationMinutes(5))));
        t.refusedWithoutWrites(PermissionDeniedException.class, "time_entry:write",
                () -> t.log(t.viewer(), project, MAR_2, 30));
        TimeEntry forBob = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(project, MAR_2, 30).withUserId(t.bob())));
        assertThat(forBob.userId()).isEqualTo(t.bob());
    }

    @Test
    void correctingAndDeletingEntriesIsAuditedAndKeepsProjectAndPerson() {
        Team t = team();
        UUID project = t.project(null).id();
        t.assign(project, t.alice(), null);
        TimeEntry booked = t.log(t.alice(), project, MAR_2, 45);

        TimeEntry corrected = t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().correct(booked.id(),
                tx.attach(Projects.class).time().get(booked.id()).change().withDurationMinutes(50).withBillable(false)
                        .withDescription("review")));
        assertThat(corrected.durationMinutes()).isEqualTo(50);
        assertThat(corrected.billable()).isFalse();
        t.refusedWithoutWrites(InvalidInputException.class, "outside 1..1440",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().correct(booked.id(),
                        tx.attach(Projects.class).time().get(booked.id()).change().withDurationMinutes(-3))));

        t.as(t.alice(), (Tx tx) -> {
            tx.attach(Projects.class).time().delete(booked.id());
            return null;
        });
        assertThatThrownBy(() -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().get(booked.id())))
                .isInstanceOf(NotFoundException.class);
        List<AuditEntry> trail = t.audit("agency.time_entries", booked.id());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("delete", "update", "insert");
        assertThat(trail.get(1).diff()).contains("50").contains("45");
        assertThat(trail.get(0).diff()).describedAs("the deleted entry, as it was").contains("review");
    }

    @Test
    void totalsPerProjectAndPerPersonCountThePeriodLiveProjectsAndRatedBillableTime() {
        Team t = team();
        UUID web = t.project("EUR").id();
        UUID app = t.project("EUR").id();
        UUID gone = t.project("EUR").id();
        for (UUID p : List.of(web, app, gone)) {
            t.assign(p, t.alice(), "90.00");
            t.assign(p, t.bob(), null);
        }
        t.log(t.alice(), web, MAR_2, 90);                                    // 90 min at 90.00 = 135.00
        t.log(t.alice(), web, LocalDate.of(2026, 3, 31), 20);                // 20 min at 90.00 = 30.00
        t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(web, MAR_2, 30).withBillable(false)));
        t.as(t.bob(), (Tx tx) -> tx.attach(Projects.class).time().log(entry(web, MAR_2, 40)
                .withRate(new BigDecimal("100.00"), "USD"))); // 40 min at 100.00 USD = 66.67
        t.log(t.bob(), web, MAR_2, 15);                                      // billable, no rate
        t.log(t.alice(), web, LocalDate.of(2026, 2, 28), 600);               // outside March
        t.log(t.alice(), web, LocalDate.of(2026, 4, 1), 600);                // outside March
        t.log(t.bob(), app, MAR_2, 10);
        t.log(t.alice(), gone, MAR_2, 500);
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).softDelete(gone, "cancelled deal"));

        List<TimeTotal> byProject = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).time().totalsByProject(MARCH));
        assertThat(byProject).containsExactlyInAnyOrder(
                new TimeTotal(web, 195, 165, Map.of("EUR", new BigDecimal("165.00"), "USD", new BigDecimal("66.67"))),
                new TimeTotal(app, 10, 10, Map.of()));
        assertThat(byProject).extracting(TimeTotal::id).isSorted();

        List<TimeTotal> byUser = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).time().totalsByUser(MARCH));
        assertThat(byUser).containsExactlyInAnyOrder(
                new TimeTotal(t.alice(), 140, 110, Map.of("EUR", new BigDecimal("165.00"))),
                new TimeTotal(t.bob(), 65, 65, Map.of("USD", new BigDecimal("66.67"))));

        List<TimeTotal> oneDay = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).time().totalsByUser(DateRange.of(MAR_2, MAR_2)));
        assertThat(oneDay).filteredOn(total -> total.id().equals(t.alice())).singleElement()
                .satisfies(total -> assertThat(total.totalMinutes()).isEqualTo(120));
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).time().ofProject(web, MARCH))).hasSize(5)
                .extracting(TimeEntry::workDate).isSorted();
    }

    @Test
    void detailsCarryMembersAndTimePerPersonOptionallyForAPeriod() {
        Team t = team();
        UUID project = t.project("EUR").id();
        t.assign(project, t.alice(), "80.00");
        t.assign(project, t.bob(), null);
        t.log(t.alice(), project, MAR_2, 30);
        t.log(t.alice(), project, LocalDate.of(2026, 4, 2), 60);
        t.log(t.bob(), project, MAR_2, 15);
        t.as(t.admin(), (Tx tx) -> {
            tx.attach(Projects.class).assignments().unassign(project, t.bob());
            return null;
        });

        Project all = t.as(t.viewer(), (Tx tx) -> tx.attach(Projects.class).get(project));
        assertThat(all.id()).isEqualTo(project);
        assertThat(all.members()).singleElement().satisfies(m -> {
            assertThat(m.userId()).isEqualTo(t.alice());
            assertThat(m.displayName()).isEqualTo("Alice");
            assertThat(m.email()).endsWith("@example.com");
            assertThat(m.role()).isEqualTo(AssignmentRole.MEMBER);
            assertThat(m.hourlyRate()).isEqualByComparingTo("80.00");
        });
        assertThat(all.timeByUser()).describedAs("Bob's time stays after he left the project")
                .extracting(TimeTotal::id).containsExactlyInAnyOrder(t.alice(), t.bob());
        assertThat(all.total()).isEqualTo(new TimeTotal(project, 105, 105, Map.of("EUR", new BigDecimal("120.00"))));

        Project march = t.as(t.viewer(), (Tx tx) -> tx.attach(Projects.class).get(project, MARCH));
        assertThat(march.total()).isEqualTo(new TimeTotal(project, 45, 45, Map.of("EUR", new BigDecimal("40.00"))));
    }

    @Test
    void thePriceListValidatesDeactivatesAndKeepsCodesUniqueAmongLiveServices() {
        Team t = team();
        Service design = t.service("DESIGN", ServiceUnit.HOUR, "95.00", "EUR");
        assertThat(design.active()).isTrue();
        assertThat(design.taxRate()).isEqualByComparingTo("0");

        t.refusedWithoutWrites(UniqueViolationException.class, "services_code_live_key",
                () -> t.service("DESIGN", ServiceUnit.DAY, "700.00", "EUR"));
        t.refusedWithoutWrites(InvalidInputException.class, "code",
                () -> t.service("no spaces", ServiceUnit.HOUR, "1.00", "EUR"));
        t.refusedWithoutWrites(InvalidInputException.class, "is negative",
                () -> t.service("FREEBIE", ServiceUnit.ITEM, "-1.00", "EUR"));
        t.refusedWithoutWrites(InvalidInputException.class, "tax_rate 101",
                () -> t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().create(
                        NewService.of("TAXED", "Taxed", BigDecimal.ONE, "EUR").withTaxRate(new BigDecimal("101")))));
        t.refusedWithoutWrites(PermissionDeniedException.class, "service:write",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).priceList().create(
                        NewService.of("STAFF", "Staff's", BigDecimal.ONE, "EUR"))));

        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().deactivate(design.id()));
        assertThatThrownBy(() -> t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().deactivate(design.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("inactive already");
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().list(false))).isEmpty();
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().list(true))).extracting(Service::code)
                .containsExactly("DESIGN");
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().activate(design.id()));

        Service repriced = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().update(design.id(),
                tx.attach(Projects.class).priceList().get(design.id()).change().withUnitPrice(new BigDecimal("99.00"))));
        assertThat(repriced.unitPrice()).isEqualByComparingTo("99.00");
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().byCode("DESIGN"))).isPresent();

        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().softDelete(design.id(), "rebranded"));
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).priceList().byCode("DESIGN"))).isEmpty();
        assertThat(t.service("DESIGN", ServiceUnit.HOUR, "110.00", "EUR").id()).isNotEqualTo(design.id());
        assertThat(t.audit("agency.services", design.id())).extracting(AuditEntry::action)
                .containsExactly("soft_delete", "update", "update", "update", "insert");
    }

    @Test
    void environmentsAreKeyedPerTenantOrderedByKindAndDeletedForGood() {
        Team t = team();
        Environment prod = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().create(
                NewEnvironment.of("prod", "Production", EnvironmentKind.PRODUCTION).withUrl("https://app.example.com")));
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().create(
                NewEnvironment.of("staging", "Staging", EnvironmentKind.STAGING)));
        t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().create(
                NewEnvironment.of("dev", "Development", EnvironmentKind.DEVELOPMENT)));

        assertThat(t.as(t.viewer(), (Tx tx) -> tx.attach(Projects.class).environments().list())).extracting(Environment::key)
                .containsExactly("dev", "staging", "prod");
        t.refusedWithoutWrites(UniqueViolationException.class, "environments_key_key",
                () -> t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().create(
                        NewEnvironment.of("prod", "Again", EnvironmentKind.PRODUCTION))));
        t.refusedWithoutWrites(InvalidInputException.class, "must be an absolute http or https URL",
                () -> t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().create(
                        NewEnvironment.of("ftp", "FTP", EnvironmentKind.STAGING).withUrl("ftp://files.example.com"))));
        t.refusedWithoutWrites(PermissionDeniedException.class, "environment:write",
                () -> t.as(t.alice(), (Tx tx) -> tx.attach(Projects.class).environments().create(
                        NewEnvironment.of("mine", "Mine", EnvironmentKind.DEVELOPMENT))));

        Environment renamed = t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().update(prod.id(),
                tx.attach(Projects.class).environments().get(prod.id()).change().withName("Live")));
        assertThat(renamed.name()).isEqualTo("Live");
        t.as(t.admin(), (Tx tx) -> {
            tx.attach(Projects.class).environments().delete(prod.id());
            return null;
        });
        assertThat(t.as(t.admin(), (Tx tx) -> tx.attach(Projects.class).environments().byKey("prod"))).isEmpty();
        assertThatThrownBy(() -> t.as(t.admin(), (Tx tx) -> {
            tx.attach(Projects.class).environments().delete(prod.id());
            return null;
        })).isInstanceOf(NotFoundException.class);
        assertThat(t.audit("agency.environments", prod.id())).extracting(AuditEntry::action)
                .containsExactly("delete", "update", "insert");
    }
}
