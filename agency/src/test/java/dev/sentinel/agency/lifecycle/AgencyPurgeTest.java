package dev.sentinel.agency.lifecycle;

import static dev.sentinel.core.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.Invoice;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.Ledger;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.billing.NewInvoiceItem;
import dev.sentinel.agency.billing.NewLedgerEntry;
import dev.sentinel.agency.contracts.ContractContent;
import dev.sentinel.agency.contracts.Contracts;
import dev.sentinel.agency.contracts.NewContract;
import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.lifecycle.PurgeReport;
import dev.sentinel.core.lifecycle.TenantLifecycle;
import dev.sentinel.core.lifecycle.TenantPurge;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The owner's purge deletes a closed tenant's agency rows, among them those that the agency's
 * guards refuse to delete for every role (ledger entries, issued invoices and their lines, the
 * versions of a sent contract), without an audit row per deleted row; the guards still refuse the
 * same deletes to everyone else, the owner included, and the other tenant's rows stay.
 */
class AgencyPurgeTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Actor CLERK = Actor.service("billing");

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void aClosedTenantsGuardedRowsGoWithItsPurgeAndNoOtherTenantsDo() throws SQLException {
        UUID leaving = tenant();
        UUID staying = tenant();
        fill(leaving);
        fill(staying);
        Map<String, Long> stayingBefore = agencyRows(staying);
        Map<String, Long> leavingBefore = agencyRows(leaving);
        assertThat(leavingBefore).containsKeys("agency.ledger_entries", "agency.invoices", "agency.invoice_items",
                "agency.contracts", "agency.contract_versions");
        long stayingAudit = auditRows(staying);

        sentinel.system(CLERK).useTransaction(tx -> TenantLifecycle.close(tx, leaving, Duration.ofDays(30)));
        PurgeReport report = TenantPurge.using(db.ownerDataSource()).ignoringGracePeriod().batchSize(2)
                .purge(leaving, Actor.service("offboarding"));

        assertThat(agencyRows(leaving)).isEmpty();
        leavingBefore.forEach((table, rows) -> assertThat(report.rowsDeleted()).containsEntry(table, rows));
        List<String> order = new ArrayList<>(report.rowsDeleted().keySet());
        assertThat(order.indexOf("agency.ledger_entries")).isLessThan(order.indexOf("agency.invoices"));
        assertThat(order.indexOf("agency.invoice_items")).isLessThan(order.indexOf("agency.invoices"));
        assertThat(order.indexOf("agency.invoices")).isLessThan(order.indexOf("agency.clients"));
        assertThat(order.indexOf("agency.contract_versions")).isLessThan(order.indexOf("agency.contracts"));
        assertThat(agencyRows(staying)).isEqualTo(stayingBefore);
        assertThat(auditRows(staying)).describedAs("no audit row for the purged rows, in any trail").isEqualTo(stayingAudit);

        // The guards stand for every other delete, the owner's own included.
        try (Connection owner = db.ownerDataSource().getConnection()) {
            owner.setAutoCommit(false);
            try (Statement statement = owner.createStatement()) {
                statement.execute("set local sentinel.scope = 'system'");
                assertThatThrownBy(() -> statement.executeUpdate("delete from agency.ledger_entries where tenant_id = '"
                        + staying + "'")).isInstanceOf(SQLException.class).hasMessageContaining("cannot be changed or deleted");
            } finally {
                owner.rollback();
            }
        }
        // And the staying tenant writes on.
        fill(staying);
    }

    private static UUID tenant() {
        return sentinel.system(CLERK).inTransaction(tx -> tx.table(TENANTS).insert(new TenantsRecord()
                .setSlug("purge-" + Long.toHexString(System.nanoTime())).setName("Purge test")).getId());
    }

    /** An issued invoice with a payment, and a sent contract with two versions: rows the guards keep. */
    private static void fill(UUID tenant) {
        sentinel.tenant(tenant, CLERK).useTransaction(tx -> {
            UUID client = tx.attach(Clients.class).create(NewClient.of("Acme GmbH").withCurrency("EUR")).id();
            Invoice draft = tx.attach(Invoices.class).createDraft(client, "EUR");
            tx.attach(Invoices.class).addItem(draft.id(), NewInvoiceItem.of("Design", new BigDecimal("2"), new BigDecimal("50.00")));
            Invoice issued = tx.attach(Invoices.class).issue(draft.id());
            tx.attach(Ledger.class).record(NewLedgerEntry.payment(issued.id(), new BigDecimal("100.00"), "EUR",
                    Instant.parse("2026-03-05T08:00:00Z"), null));
            UUID contract = tx.attach(Contracts.class).create(NewContract.of("Retainer")).id();
            tx.attach(Contracts.class).addVersion(contract, ContractContent.markdown("v1"), null);
            tx.attach(Contracts.class).addVersion(contract, ContractContent.markdown("v2"), null);
            tx.attach(Contracts.class).send(contract, SignatureProvider.MANUAL, null, null);
        });
    }

    /** The tenant's rows per agency table, read as a superuser. */
    private static Map<String, Long> agencyRows(UUID tenant) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection admin = db.adminDataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = admin.createStatement().executeQuery("select table_schema || '.' || table_name"
                    + " from information_schema.columns where table_schema = 'agency' and column_name = 'tenant_id'")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            for (String table : tables) {
                long count = count(admin, "select count(*) from " + table + " where tenant_id = ?", tenant);
                if (count > 0) {
                    rows.put(table, count);
                }
            }
        }
        return rows;
    }

    private static long auditRows(UUID tenant) throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection()) {
            return count(admin, "select count(*) from sentinel.audit_log where tenant_id = ?", tenant)
                    + count(admin, "select count(*) from sentinel.system_audit_log where action <> 'tenant.purge'", null);
        }
    }

    private static long count(Connection connection, String sql, UUID tenant) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (sql.contains("?")) {
                statement.setObject(1, tenant);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
