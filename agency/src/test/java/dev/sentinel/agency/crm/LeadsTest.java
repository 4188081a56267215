package dev.sentinel.agency.crm;

import static dev.sentinel.agency.db.Tables.CLIENTS;
import static dev.sentinel.agency.db.Tables.LEADS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.LeadSource;
import dev.sentinel.agency.db.enums.LeadStatus;
import dev.sentinel.agency.db.tables.records.ClientsRecord;
import dev.sentinel.agency.internal.crm.LeadsImpl;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.agency.support.DomainFixture;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leads inbox: creation, the status pipeline, assignment to members, conversion into a client,
 * soft deletion, search, tenant isolation, and the audit row each change leaves. Runs as the
 * application role.
 */
class LeadsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID staffUser;
    private static Actor staff;
    private static UUID adminUser;
    private static Actor admin;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(3).build();
        tenant = Tenants.create(sentinel);
        staffUser = DomainFixture.member(sentinel, tenant, "staff");
        staff = Actor.user(staffUser);
        adminUser = DomainFixture.member(sentinel, tenant, "admin");
        admin = Actor.user(adminUser);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static Lead create(NewLead lead) {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).create(lead));
    }

    private static Lead reload(UUID leadId) {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).get(leadId));
    }

    private static List<AuditEntry> audit(UUID leadId) {
        return DomainFixture.audit(sentinel, tenant, "agency.leads", leadId);
    }

    private static int clientCount() {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.dsl().fetchCount(CLIENTS));
    }

    private static int leadCount() {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.dsl().fetchCount(LEADS));
    }

    @Test
    void aNewLeadStartsInTheInboxAndItsCreationIsAudited() {
        Lead lead = create(NewLead.named("Ada Lovelace").email("ada@example.com").company("Analytical Engines")
                .phone("+44 20 7946 0000").source(LeadSource.WEBSITE).notes("asked for a quote"));

        assertThat(lead.tenantId()).isEqualTo(tenant);
        assertThat(lead.status()).isEqualTo(LeadStatus.NEW);
        assertThat(lead.source()).isEqualTo(LeadSource.WEBSITE);
        assertThat(lead.assignee()).isEmpty();
        assertThat(lead.clientId()).isNull();
        assertThat(reload(lead.id())).isEqualTo(lead);
        Page<Lead> inbox = sentinel.tenant(tenant, staff).inTransaction(tx ->
                tx.attach(Leads.class).list(LeadStatus.NEW, PageRequest.first(1000)));
        assertThat(inbox.items()).extracting(Lead::id).contains(lead.id());

        List<AuditEntry> trail = audit(lead.id());
        assertThat(trail).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("insert");
            assertThat(entry.actorId()).isEqualTo(staffUser);
            assertThat(entry.diff()).contains("\"name\": {\"new\": \"Ada Lovelace\"}").contains("\"status\": {\"new\": \"new\"}");
        });
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        int before = leadCount();
        assertThatThrownBy(() -> NewLead.named(" ")).isInstanceOf(InvalidInputException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> NewLead.named("Bob").email("bob at example.com"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not an e-mail address");
        assertThatThrownBy(() -> NewLead.named("x".repeat(201))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewLead.named("Bob").source(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).create(null)))
                .isInstanceOf(InvalidInputException.class);
        UUID stranger = DomainFixture.user(sentinel);
        assertThatThrownBy(() -> create(NewLead.named("Bob").assignedTo(stranger)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not an active member of tenant " + tenant);
        assertThat(leadCount()).isEqualTo(before);
    }

    @Test
    void aLeadMovesThroughTheOpenStatesAndToLostAndBackAndEachMoveIsAudited() {
        Lead lead = create(NewLead.named("Grace Hopper"));
        List<LeadStatus> path = List.of(LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.PROPOSAL,
                LeadStatus.QUALIFIED, LeadStatus.LOST, LeadStatus.NEW);
        for (LeadStatus next : path) {
            Lead moved = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), next));
            assertThat(moved.status()).isEqualTo(next);
        }
        assertThat(reload(lead.id()).status()).isEqualTo(LeadStatus.NEW);

        List<AuditEntry> trail = audit(lead.id());
        assertThat(trail).extracting(AuditEntry::action)
                .containsExactly("update", "update", "update", "update", "update", "update", "insert");
        assertThat(trail.get(1).diff()).describedAs("the move to lost, with the status it left")
                .contains("\"status\": {\"new\": \"lost\", \"old\": \"qualified\"}");
    }

    @Test
    void aMoveOutsideThePipelineIsRefusedAndWritesNothing() {
        Lead lead = create(NewLead.named("Edsger Dijkstra"));
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.WON)))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("cannot move to won").hasMessageContaining("convertToClient");
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.NEW)))
                .isInstanceOf(InvalidStateTransitionException.class);

        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.LOST));
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.QUALIFIED)))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("lost").hasMessageContaining("allowed from lost: new");
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), null)))
                .isInstanceOf(InvalidInputException.class);

        assertThat(reload(lead.id()).status()).isEqualTo(LeadStatus.LOST);
        assertThat(audit(lead.id())).extracting(AuditEntry::action).containsExactly("update", "insert");
    }

    @Test
    void theStatusRulesAreTheDocumentedOnes() {
        for (LeadStatus from : LeadStatus.values()) {
            for (LeadStatus to : LeadStatus.values()) {
                boolean expected = to != from && to != LeadStatus.WON
                        && (LeadStatuses.isOpen(from) || (from == LeadStatus.LOST && to == LeadStatus.NEW));
                assertThat(LeadStatuses.canChange(from, to)).describedAs(from + " -> " + to).isEqualTo(expected);
            }
        }
        assertThat(LeadStatuses.canChange(LeadStatus.WON, LeadStatus.NEW)).describedAs("won is final").isFalse();
    }

    @Test
    void aLeadIsAssignedOnlyToAMemberOfTheTenant() {
        UUID colleague = DomainFixture.member(sentinel, tenant, null);
        UUID outsider = DomainFixture.member(sentinel, Tenants.create(sentinel), "admin");
        UUID leaver = DomainFixture.member(sentinel, tenant, null);
        sentinel.tenant(tenant, admin).useTransaction(tx -> tx.members().remove(leaver));
        Lead lead = create(NewLead.named("Barbara Liskov").assignedTo(staffUser));
        assertThat(lead.assignee()).contains(staffUser);

        Lead reassigned = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).assign(lead.id(), colleague));
        assertThat(reassigned.assignedTo()).isEqualTo(colleague);
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).assign(lead.id(), outsider)))
                .describedAs("a member of another tenant is not a member here")
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not an active member");
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).assign(lead.id(), leaver)))
                .describedAs("a removed member keeps the membership row, but may not own leads")
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("the membership is removed");
        assertThat(reload(lead.id()).assignedTo()).isEqualTo(colleague);

        Lead unassigned = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).unassign(lead.id()));
        assertThat(unassigned.assignee()).isEmpty();
        List<AuditEntry> trail = audit(lead.id());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "update", "insert");
        assertThat(trail.get(1).diff()).contains("\"assigned_to\": {\"new\": \"" + colleague + "\", \"old\": \"" + staffUser + "\"}");
    }

    @Test
    void convertingALeadCreatesAClientAndWinsTheLead() {
        Lead lead = create(NewLead.named("Alan Turing").email("alan@bletchley.example").company("Bletchley Park"));
        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.PROPOSAL));

        LeadConversion conversion = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).convertToClient(lead.id()));
        assertThat(conversion.clientCreated()).isTrue();
        assertThat(conversion.lead().status()).isEqualTo(LeadStatus.WON);
        assertThat(conversion.lead().clientId()).isEqualTo(conversion.clientId());
        ClientsRecord client = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.table(CLIENTS).get(conversion.clientId()));
        assertThat(client.getName()).describedAs("named after the company").isEqualTo("Bletchley Park");
        assertThat(client.getBillingEmail()).isEqualTo("alan@bletchley.example");
        assertThat(client.getTenantId()).isEqualTo(tenant);
        assertThat(DomainFixture.audit(sentinel, tenant, "agency.clients", conversion.clientId()))
                .singleElement().extracting(AuditEntry::action).isEqualTo("insert");
        assertThat(audit(lead.id()).getFirst().diff()).contains("\"status\": {\"new\": \"won\", \"old\": \"proposal\"}")
                .contains("\"client_id\": {\"new\": \"" + conversion.clientId() + "\", \"old\": null}");

        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).convertToClient(lead.id())))
                .describedAs("won is final").isInstanceOf(InvalidStateTransitionException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.LOST)))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("no move is allowed from won");
    }

    @Test
    void aLeadWithoutCompanyBecomesAClientNamedAfterThePerson() {
        Lead lead = create(NewLead.named("Katherine Johnson"));
        LeadConversion conversion = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).convertToClient(lead.id()));
        String name = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.table(CLIENTS).get(conversion.clientId()).getName());
        assertThat(name).isEqualTo("Katherine Johnson");
    }

    @Test
    void aLeadCanBeLinkedToAnExistingClientButNotToAMissingOne() {
        UUID existing = sentinel.tenant(tenant, staff).inTransaction(tx ->
                tx.table(CLIENTS).insert(new ClientsRecord().setName("Returning Customer")).getId());
        UUID otherTenantsClient = sentinel.tenant(Tenants.create(sentinel), Tenants.SETUP).inTransaction(tx ->
                tx.table(CLIENTS).insert(new ClientsRecord().setName("Someone else's")).getId());
        Lead lead = create(NewLead.named("Returning Customer's buyer"));
        int clientsBefore = clientCount();

        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).convertToClient(lead.id(), otherTenantsClient)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no live client");
        assertThat(reload(lead.id()).status()).isEqualTo(LeadStatus.NEW);

        LeadConversion conversion = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).convertToClient(lead.id(), existing));
        assertThat(conversion.clientCreated()).isFalse();
        assertThat(conversion.lead().clientId()).isEqualTo(existing);
        assertThat(clientCount()).isEqualTo(clientsBefore);
    }

    @Test
    void aLostLeadMustBeReopenedBeforeItIsConverted() {
        Lead lead = create(NewLead.named("Margaret Hamilton"));
        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.LOST));
        int clientsBefore = clientCount();
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).convertToClient(lead.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("reopen it");
        assertThat(clientCount()).isEqualTo(clientsBefore);
    }

    @Test
    void aDeletedLeadDisappearsFromEveryReadAndKeepsWhoAndWhy() {
        Lead lead = create(NewLead.named("Deleted Duplicate").email("dup@example.com"));
        Lead deleted = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(Leads.class).delete(lead.id(), "duplicate"));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.deletedBy()).isEqualTo(adminUser);
        assertThat(deleted.deleteReason()).isEqualTo("duplicate");

        sentinel.tenant(tenant, staff).useTransaction(tx -> {
            assertThat(tx.attach(Leads.class).find(lead.id())).isEmpty();
            assertThat(tx.attach(Leads.class).search("Deleted Dup", 10)).isEmpty();
            assertThat(tx.attach(Leads.class).list(PageRequest.first(1000)).items()).extracting(Lead::id).doesNotContain(lead.id());
            assertThat(tx.table(LEADS).withDeleted().get(lead.id()).getDeleteReason()).isEqualTo("duplicate");
        });
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.LOST)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(Leads.class).delete(lead.id(), " ")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(Leads.class).delete(lead.id(), "again")))
                .describedAs("a deleted lead is invisible here").isInstanceOf(NotFoundException.class);
        assertThat(audit(lead.id())).extracting(AuditEntry::action).containsExactly("soft_delete", "insert");
        assertThat(audit(lead.id()).getFirst().diff()).contains("\"delete_reason\": {\"new\": \"duplicate\", \"old\": null}");
    }

    @Test
    void searchFindsNamesAndAddressesByTheirStartIgnoringCase() {
        UUID searchTenant = Tenants.create(sentinel);
        sentinel.tenant(searchTenant, Tenants.SETUP).useTransaction(tx -> {
            tx.attach(Leads.class).create(NewLead.named("Zelda Fitzgerald").email("zelda@jazz.example"));
            tx.attach(Leads.class).create(NewLead.named("zeno of elea").email("paradox@stoa.example"));
            tx.attach(Leads.class).create(NewLead.named("Ida Zeller"));
            tx.attach(Leads.class).create(NewLead.named("100% Discount Ltd"));
            tx.attach(Leads.class).create(NewLead.named("100 Pianos"));
            tx.attach(Leads.class).create(NewLead.named("Under_score"));
            tx.attach(Leads.class).create(NewLead.named("Underwood"));
            tx.attach(Leads.class).create(NewLead.named("İstanbul Tekstil"));
        });
        sentinel.tenant(Tenants.create(sentinel), Tenants.SETUP).useTransaction(tx -> tx.attach(Leads.class).create(NewLead.named("Zebra of another tenant")));

        sentinel.tenant(searchTenant, Tenants.SETUP).useTransaction(tx -> {
            assertThat(tx.attach(Leads.class).search("ZE", 10)).extracting(Lead::name)
                    .describedAs("case-insensitive name prefix, ordered by name, this tenant only")
                    .containsExactly("Zelda Fitzgerald", "zeno of elea");
            assertThat(tx.attach(Leads.class).search("paradox@", 10)).extracting(Lead::name).containsExactly("zeno of elea");
            assertThat(tx.attach(Leads.class).search("ZELDA@JAZZ.EXAMPLE", 10)).extracting(Lead::name).containsExactly("Zelda Fitzgerald");
            assertThat(tx.attach(Leads.class).search("Zeller", 10)).describedAs("a word inside the name is not a prefix").isEmpty();
            assertThat(tx.attach(Leads.class).search("100%", 10)).describedAs("% matches itself").extracting(Lead::name)
                    .containsExactly("100% Discount Ltd");
            assertThat(tx.attach(Leads.class).search("under_", 10)).describedAs("_ matches itself").extracting(Lead::name)
                    .containsExactly("Under_score");
            assertThat(tx.attach(Leads.class).search("İstanbul", 10)).describedAs("folded by PostgreSQL, not the JVM's tr_TR locale")
                    .extracting(Lead::name).containsExactly("İstanbul Tekstil");
            assertThat(tx.attach(Leads.class).search("1", 1)).hasSize(1);
        });
        assertThatThrownBy(() -> sentinel.tenant(searchTenant, Tenants.SETUP).useTransaction(tx -> tx.attach(Leads.class).search(" ", 10)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.tenant(searchTenant, Tenants.SETUP).useTransaction(tx -> tx.attach(Leads.class).search("ze", 101)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void searchIsServedByTheTenantFirstIndexesUnderRowLevelSecurity() throws Exception {
        // Enough leads, with statistics, that PostgreSQL plans as it would for a real inbox: 4,000 in two tenants.
        UUID busy = Tenants.create(sentinel);
        UUID other = Tenants.create(sentinel);
        // One many-row VALUES per tenant (Citus would run an INSERT ... SELECT as a COPY, which it refuses under row-level security).
        StringBuilder rows = new StringBuilder("insert into agency.leads (tenant_id, id, name, email) values ");
        for (int n = 1; n <= 2000; n++) {
            rows.append(n == 1 ? "" : ", ").append("({0}, gen_random_uuid(), 'Lead ").append(n).append("', 'lead").append(n)
                    .append("@example.com')");
        }
        for (UUID each : List.of(busy, other)) {
            sentinel.tenant(each, Tenants.SETUP).useTransaction(tx -> tx.dsl().execute(rows.toString(), org.jooq.impl.DSL.val(each)));
        }
        try (var connection = db.adminDataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute("analyze agency.leads"); // setup only: the application role may not ANALYZE
        }
        String plan = sentinel.tenant(busy, Tenants.SETUP).inTransaction(tx -> {
            String sql = tx.dsl().renderInlined(LeadsImpl.searchQuery(tx.dsl(), busy, "Lead 199", 20));
            return String.join("\n", tx.dsl().fetch("explain (costs off) " + sql).map(row -> row.get(0, String.class)));
        });
        assertThat(plan).describedAs("the prefix, not only the tenant, is an index condition on both indexes:\n" + plan)
                .contains("leads_name_search_idx").contains("name_lower ~>=~ 'lead 199'")
                .contains("leads_email_search_idx").contains("email_lower ~>=~ 'lead 199'")
                .doesNotContain("Seq Scan");
        List<Lead> found = sentinel.tenant(busy, Tenants.SETUP).inTransaction(tx -> tx.attach(Leads.class).search("Lead 199", 20));
        assertThat(found).describedAs("199 and 1990..1999, this tenant only").hasSize(11)
                .allSatisfy(lead -> assertThat(lead.tenantId()).isEqualTo(busy));
    }

    @Test
    void anotherTenantsLeadIsNotFoundAndCannotBeChanged() {
        Lead lead = create(NewLead.named("Private Prospect"));
        UUID other = Tenants.create(sentinel);
        Actor otherAdmin = Actor.user(DomainFixture.member(sentinel, other, "admin"));
        sentinel.tenant(other, otherAdmin).useTransaction(tx -> {
            assertThat(tx.attach(Leads.class).find(lead.id())).isEmpty();
            assertThat(tx.attach(Leads.class).list(PageRequest.first(10)).items()).isEmpty();
        });
        assertThatThrownBy(() -> sentinel.tenant(other, otherAdmin).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.LOST)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.tenant(other, otherAdmin).useTransaction(tx -> tx.attach(Leads.class).delete(lead.id(), "mine now")))
                .isInstanceOf(NotFoundException.class);
        assertThat(reload(lead.id()).status()).isEqualTo(LeadStatus.NEW);
        assertThat(audit(lead.id())).hasSize(1);
    }

    @Test
    void everyWriteNeedsItsPermissionAndARefusalWritesNothing() {
        Lead lead = create(NewLead.named("Guarded Prospect"));
        UUID client = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.table(CLIENTS).insert(new ClientsRecord().setName("Guard")).getId());
        Actor viewer = Actor.user(DomainFixture.member(sentinel, tenant, "viewer"));
        Actor roleless = Actor.user(DomainFixture.member(sentinel, tenant, null));
        int leadsBefore = leadCount();
        int clientsBefore = clientCount();
        int auditBefore = DomainFixture.auditCount(sentinel, tenant);

        for (Actor actor : List.of(viewer, roleless)) {
            assertDenied(actor, "lead:create", tx -> tx.attach(Leads.class).create(NewLead.named("Not allowed")));
            assertDenied(actor, "lead:update", tx -> tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.CONTACTED));
            assertDenied(actor, "lead:assign", tx -> tx.attach(Leads.class).assign(lead.id(), staffUser));
            assertDenied(actor, "lead:assign", tx -> tx.attach(Leads.class).unassign(lead.id()));
            assertDenied(actor, "lead:convert", tx -> tx.attach(Leads.class).convertToClient(lead.id()));
            assertDenied(actor, "lead:convert", tx -> tx.attach(Leads.class).convertToClient(lead.id(), client));
            assertDenied(actor, "lead:delete", tx -> tx.attach(Leads.class).delete(lead.id(), "spam"));
        }
        assertDenied(staff, "lead:delete", tx -> tx.attach(Leads.class).delete(lead.id(), "spam"));

        assertThat(leadCount()).isEqualTo(leadsBefore);
        assertThat(clientCount()).isEqualTo(clientsBefore);
        assertThat(DomainFixture.auditCount(sentinel, tenant)).isEqualTo(auditBefore);
        assertThat(reload(lead.id())).isEqualTo(lead);
        sentinel.tenant(tenant, viewer).useTransaction(tx -> {
            assertThat(tx.attach(Leads.class).get(lead.id())).describedAs("reads need no permission").isEqualTo(lead);
            assertThat(tx.attach(Leads.class).search("Guarded", 5)).hasSize(1);
        });
        sentinel.tenant(tenant, Actor.service("crm-import")).useTransaction(tx ->
                assertThat(tx.attach(Leads.class).create(NewLead.named("From a service")).status()).describedAs("a service passes").isEqualTo(LeadStatus.NEW));
    }

    private static void assertDenied(Actor actor, String permission, java.util.function.Consumer<dev.sentinel.core.Tx> work) {
        assertThatThrownBy(() -> sentinel.tenant(tenant, actor).useTransaction(work::accept))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining(permission);
    }

    @Test
    void theInboxNeedsATenantScope() {
        assertThatThrownBy(() -> sentinel.system(staff).useTransaction(tx -> tx.attach(Leads.class)))
                .isInstanceOf(MissingScopeException.class).hasMessageContaining("tx.attach(Leads.class)");
    }

    @Test
    void listingPagesThroughOneStatusInCreationOrder() {
        UUID listTenant = Tenants.create(sentinel);
        List<UUID> created = sentinel.tenant(listTenant, Tenants.SETUP).inTransaction(tx -> List.of(
                tx.attach(Leads.class).create(NewLead.named("one")).id(), tx.attach(Leads.class).create(NewLead.named("two")).id(),
                tx.attach(Leads.class).create(NewLead.named("three")).id()));
        sentinel.tenant(listTenant, Tenants.SETUP).useTransaction(tx -> tx.attach(Leads.class).changeStatus(created.get(1), LeadStatus.CONTACTED));
        sentinel.tenant(listTenant, Tenants.SETUP).useTransaction(tx -> {
            Page<Lead> first = tx.attach(Leads.class).list(LeadStatus.NEW, PageRequest.first(1));
            assertThat(first.items()).extracting(Lead::id).containsExactly(created.get(0));
            Page<Lead> second = tx.attach(Leads.class).list(LeadStatus.NEW, first.next().orElseThrow());
            assertThat(second.items()).extracting(Lead::id).containsExactly(created.get(2));
            assertThat(second.next()).isEmpty();
            assertThat(tx.attach(Leads.class).list(PageRequest.first(10)).items()).hasSize(3);
            assertThat(tx.table(LEADS).count(DSL.noCondition())).isEqualTo(3);
        });
    }
}
