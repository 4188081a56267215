package dev.sentinel.agency.crm;

import static dev.sentinel.agency.db.Tables.CLIENTS;
import static dev.sentinel.agency.db.Tables.LEADS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.db.enums.LeadStatus;
import dev.sentinel.agency.db.tables.records.ClientsRecord;
import dev.sentinel.agency.db.tables.records.LeadsRecord;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.agency.support.DomainFixture;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.lifecycle.Erasure;
import dev.sentinel.core.lifecycle.ErasureReport;
import dev.sentinel.core.lifecycle.ErasureSubject;
import dev.sentinel.core.support.DatabaseSearch;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Erasure of a lead and of a client (agency V9 marks their personal columns): after it, none of
 * their values is left anywhere in the database, generated search copies included, the trail reads
 * {@code "[erased]"}, and the tenant's chain still verifies.
 */
class LeadErasureTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final List<LeadStatus> PIPELINE = List.of(LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.PROPOSAL,
            LeadStatus.LOST, LeadStatus.NEW);
    private static Sentinel sentinel;
    private static UUID tenant;
    private static Actor staff;
    private static Actor admin;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).auditKey(KEY).maximumPoolSize(3).build();
        tenant = Tenants.create(sentinel);
        staff = Actor.user(DomainFixture.member(sentinel, tenant, "staff"));
        admin = Actor.user(DomainFixture.member(sentinel, tenant, "admin"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void anErasedLeadAndClientLeaveNoValueBehindAndTheChainVerifies() throws SQLException {
        Lead lead = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).create(
                NewLead.named("Quinn Vaderhoek").email("Quinn@Vaderhoek.example").phone("+31 20 555 0177").company("Harbour BV")));
        for (int round = 0; round < 4; round++) {
            for (LeadStatus status : PIPELINE) {
                sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(Leads.class).changeStatus(lead.id(), status));
            }
            int n = round;
            sentinel.tenant(tenant, staff).useTransaction(tx -> {
                LeadsRecord row = tx.table(LEADS).get(lead.id());
                tx.table(LEADS).update(row.setEmail("quinn+" + n + "@vaderhoek.example"));
            });
        }
        UUID client = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.table(CLIENTS).insert(new ClientsRecord()
                .setName("Acme").setBillingEmail("quinn.ap@vaderhoek.example").setAddressLine1("Vaderhoekstraat 1")).getId());
        assertThat(DomainFixture.audit(sentinel, tenant, "agency.leads", lead.id())).hasSize(25)
                .anyMatch(entry -> entry.diff().contains("\"name\": {\"new\": \"Quinn Vaderhoek\"}"));
        assertThat(DatabaseSearch.find(db.adminDataSource(), "vaderhoek")).describedAs("live rows and side table only")
                .containsOnlyKeys("agency.leads.name", "agency.leads.email", "agency.leads.name_lower", "agency.leads.email_lower",
                        "agency.clients.billing_email", "agency.clients.address_line1", "sentinel.audit_personal_values.committed");
        assertThat(sentinel.auditChain().seal(tenant)).isPositive();

        Erasure erasure = Erasure.using(db.ownerDataSource());
        ErasureReport report = erasure.erase(ErasureSubject.tenantRow(tenant, LEADS, lead.id()), admin);
        erasure.erase(ErasureSubject.tenantRow(tenant, CLIENTS, client), admin);

        assertThat(report.columns()).containsExactly("name", "email", "phone", "name_lower", "email_lower");
        assertThat(DatabaseSearch.find(db.adminDataSource(), "vaderhoek")).isEmpty();
        assertThat(DatabaseSearch.find(db.adminDataSource(), "quinn")).isEmpty();
        assertThat(DatabaseSearch.find(db.adminDataSource(), "555 0177")).isEmpty();
        Lead erased = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(Leads.class).get(lead.id()));
        assertThat(erased.name()).isEqualTo("erased." + lead.id() + "@erased.invalid");
        assertThat(erased.email()).isNull();
        List<AuditEntry> trail = DomainFixture.audit(sentinel, tenant, "agency.leads", lead.id());
        assertThat(trail).hasSize(26).noneMatch(entry -> entry.diff().contains("sentinel:personal"))
                .anyMatch(entry -> entry.diff().contains("\"name\": {\"new\": \"[erased]\"}"));
        sentinel.auditChain().seal(tenant);
        assertThat(sentinel.auditChain().verify(tenant).intact()).isTrue();
    }
}
