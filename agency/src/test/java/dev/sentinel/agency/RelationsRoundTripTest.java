package dev.sentinel.agency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.contracts.Contract;
import dev.sentinel.agency.contracts.ContractContent;
import dev.sentinel.agency.contracts.Contracts;
import dev.sentinel.agency.contracts.NewContract;
import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.agency.projects.NewProject;
import dev.sentinel.agency.projects.NewTimeEntry;
import dev.sentinel.agency.projects.Project;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.TappedConnection;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import dev.sentinel.testing.WireTap;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "with relations" reads cost one statement however many children there are: a project with
 * its assignments and time totals, a contract with its versions. Counted on the wire (as in
 * core's {@code RoundTripTest}): a transaction with one query is three round trips (setup, the query,
 * commit), and the query's round trip carries exactly one statement.
 */
class RelationsRoundTripTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Actor SERVICE = Actor.service("relations");

    private static TappedConnection connection;
    private static WireTap tap;
    private static Sentinel sentinel;
    private static UUID tenant;

    @BeforeAll
    static void start() throws Exception {
        connection = TappedConnection.open(db);
        tap = connection.tap();
        sentinel = Sentinel.builder().dataSource(connection.dataSource()).systemDataSource(db.systemDataSource()).module(Agency.module()).build();
        tenant = Tenants.create(sentinel);
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
    }

    /** A project with the given number of members, each with time on several days and in two currencies. */
    private static UUID projectWith(int members) {
        List<UUID> people = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            people.add(People.member(sentinel, tenant, "Member " + i, null));
        }
        return sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            UUID project = tx.attach(Projects.class).create(NewProject.of("rel-" + System.nanoTime(), "Related")
                    .withCurrency("EUR")).id();
            for (UUID person : people) {
                tx.attach(Projects.class).assignments().assign(project, person, AssignmentRole.MEMBER, new BigDecimal("80.00"));
                for (int day = 1; day <= 3; day++) {
                    tx.attach(Projects.class).time().log(NewTimeEntry.of(project, LocalDate.of(2026, 3, day), 30)
                            .withUserId(person));
                }
                tx.attach(Projects.class).time().log(NewTimeEntry.of(project, LocalDate.of(2026, 3, 4), 60)
                        .withUserId(person).withRate(new BigDecimal("100.00"), "USD"));
            }
            return project;
        });
    }

    private static UUID contractWith(int versions) {
        return sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            UUID contract = tx.attach(Contracts.class).create(NewContract.of("Related")).id();
            for (int v = 1; v <= versions; v++) {
                tx.attach(Contracts.class).addVersion(contract, ContractContent.markdown("# Version " + v + "\n"), null);
            }
            return contract;
        });
    }

    /**
     * The round trip that carries the read: the first, with the settings, or on Citus (whose settings
     * are SET LOCAL statements with their values written in, sent alone) the second.
     */
    private static List<String> readTrip(List<List<String>> trips) {
        boolean citus = dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource());
        assertThat(trips).describedAs("setup with the read (on Citus: before it), commit: %s", trips).hasSize(citus ? 3 : 2);
        return trips.get(citus ? 1 : 0);
    }

    private static List<List<String>> tripsOf(Runnable read) {
        tap.reset();
        read.run();
        return tap.roundTrips();
    }

    @Test
    void aProjectWithItsAssignmentsAndTimeTotalsIsOneStatement() {
        for (int members : new int[] {1, 4}) {
            UUID project = projectWith(members);
            Project[] details = new Project[1];
            List<List<String>> trips = tripsOf(() -> details[0] = sentinel.tenant(tenant, SERVICE)
                    .inTransaction(tx -> tx.attach(Projects.class).get(project)));

            List<String> read = readTrip(trips);
            assertThat(read).describedAs("one statement for %s members, after the setup's", members)
                    .filteredOn(statement -> statement.contains("project_assignments")).singleElement()
                    .isEqualTo(read.get(read.size() - 1)).asString().startsWith("select").contains("time_entries");
            assertThat(details[0].members()).hasSize(members);
            assertThat(details[0].timeByUser()).hasSize(members);
            assertThat(details[0].total().totalMinutes()).isEqualTo(members * 150L);
            assertThat(details[0].total().billableAmounts()).containsEntry("EUR", new BigDecimal(members * 120).setScale(2))
                    .containsEntry("USD", new BigDecimal(members * 100).setScale(2));
        }
    }

    @Test
    void aContractWithItsVersionsIsOneStatement() {
        for (int versions : new int[] {1, 5}) {
            UUID contract = contractWith(versions);
            Contract[] details = new Contract[1];
            List<List<String>> trips = tripsOf(() -> details[0] = sentinel.tenant(tenant, SERVICE)
                    .inTransaction(tx -> tx.attach(Contracts.class).get(contract)));

            List<String> read = readTrip(trips);
            assertThat(read).describedAs("one statement for %s versions, after the setup's", versions)
                    .filteredOn(statement -> statement.contains("contract_versions")).singleElement()
                    .isEqualTo(read.get(read.size() - 1)).asString().startsWith("select");
            assertThat(details[0].versions()).hasSize(versions);
            assertThat(details[0].current()).get().satisfies(v -> assertThat(v.body()).isEqualTo("# Version " + versions + "\n"));
        }
    }
}
