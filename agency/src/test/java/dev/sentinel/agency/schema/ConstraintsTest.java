package dev.sentinel.agency.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.schema.AgencySchemaFixture.TenantRowsWithProject;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rules the agency's schema enforces on its own, whatever code writes: the integrations' tokens
 * only as ciphertext, an invoice number exactly when issued, soft delete of drafts only, a line with
 * its total. (The kernel's rules are core's {@code dev.sentinel.core.schema.ConstraintsTest}.)
 */
class ConstraintsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static TenantRowsWithProject a;

    @BeforeAll
    static void insertATenant() throws SQLException {
        a = AgencySchemaFixture.insertTenant(db.systemDataSource(), "tenant-a", SchemaFixture.insertGlobals(db.systemDataSource()));
    }

    @Test
    void tokenColumnsRejectClearTextAndAcceptTheSealedFormat() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        for (String column : new String[] {"access_token", "refresh_token"}) {
            String sql = "update agency.integrations set " + column + " = ?";
            SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION,
                    () -> tenant.probe(app(), sql, "ya29.a0AfH6SMBx-clear-text-token"));
            assertThat(error.getMessage()).contains("integrations_" + column + "_sealed");
            assertThat(tenant.probe(app(), sql, SchemaFixture.fakeCiphertext())).isEqualTo(1);
        }
    }

    @Test
    void anInvoiceHasANumberExactlyWhenItIsNoLongerADraft() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        // A document with a number also carries its issue date and frozen totals (invoices_totals_check).
        // The client read first, then VALUES: Citus runs an INSERT ... SELECT ... LIMIT as a COPY, refused under row-level security.
        String client = tenant.rollback(app(), c -> Sql.strings(c, "select id::text from agency.clients limit 1").getFirst());
        String insert = "insert into agency.invoices (tenant_id, id, client_id, status, number, sequence_year,"
                + " sequence_number, issued_at, issued_on, net_total, tax_total, gross_total, currency)"
                + " values ('" + a.tenantId() + "', ?, '" + client + "', ?, ?, ?, ?, ?, ?::date, ?::numeric, ?::numeric, ?::numeric, 'EUR')";
        String day = "2026-03-02";
        SQLException numberedDraft = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert,
                UUID.randomUUID(), "draft", "INV-2026-000002", 2026, 2, SchemaFixture.T0, null, null, null, null));
        assertThat(numberedDraft.getMessage()).contains("invoices_number_check");
        // Anything but a draft is refused on insert, numbered or not, before the checks are reached: only the
        // issue (an update, with the number the counter allocated) numbers an invoice (InvoiceNumberingAttackTest).
        for (Object[] issued : new Object[][] {
                {null, null, null, null, day, 40, 0, 40},
                {"INV-2026-000002", 2026, 2, SchemaFixture.T0, day, null, null, null},
                {"INV-2026-000001", 2026, 2, SchemaFixture.T0, day, 40, 0, 40},
                {"INV-2026-000002", 2026, 2, SchemaFixture.T0, day, 40, 0, 40}}) {
            Object[] values = new Object[issued.length + 2];
            values[0] = UUID.randomUUID();
            values[1] = "issued";
            System.arraycopy(issued, 0, values, 2, issued.length);
            SQLException refused = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert, values));
            assertThat(refused.getMessage()).contains("an invoice is created as a draft");
        }
    }

    @Test
    void onlyADraftInvoiceCanBeSoftDeleted() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        String softDelete = "update agency.invoices set deleted_at = now(), delete_reason = 'mistake' where status = ?";
        // The guard of issued invoices refuses any change to an issued invoice before invoices_soft_delete_check is reached.
        SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> tenant.probe(app(), softDelete, "issued"));
        if (dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource())) {
            // Citus relays a worker's error without the constraint field a trigger raised: the message tells.
            assertThat(error.getMessage()).contains("is issued and cannot be changed");
        } else {
            assertThat(((org.postgresql.util.PSQLException) error).getServerErrorMessage().getConstraint())
                    .isEqualTo("invoices_issued_immutable");
        }
        assertThat(tenant.probe(app(), softDelete, "draft")).isEqualTo(2);
    }

    @Test
    void anInvoiceKeepsItsSeriesCurrencyAndSoftDeleteFieldsWellFormed() throws SQLException {
        // Off Citus these three rules are a trigger on their columns (agency V13), not check
        // constraints: refused on insert and update alike, with the constraint names they had.
        RawScope tenant = RawScope.tenant(a.tenantId());
        String client = tenant.rollback(app(), c -> Sql.strings(c, "select id::text from agency.clients limit 1").getFirst());
        String insert = "insert into agency.invoices (tenant_id, id, client_id, series, currency)"
                + " values ('" + a.tenantId() + "', ?, '" + client + "', ?, ?)";
        SQLException series = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert, UUID.randomUUID(), "inv", "EUR"));
        assertThat(series.getMessage()).contains("invoices_series_format");
        SQLException currency = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert, UUID.randomUUID(), "INV", "eur"));
        assertThat(currency.getMessage()).contains("invoices_currency_format");
        String change = "update agency.invoices set %s where status = 'draft'";
        SQLException changedCurrency = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> tenant.probe(app(), change.formatted("currency = 'e1r'")));
        assertThat(changedCurrency.getMessage()).contains("invoices_currency_format");
        SQLException reasonAlone = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> tenant.probe(app(), change.formatted("delete_reason = 'mistake'")));
        assertThat(reasonAlone.getMessage()).contains("invoices_soft_delete_fields_check");
        assertThat(tenant.probe(app(), change.formatted("currency = 'USD'"))).describedAs("a well-formed change passes").isEqualTo(2);
    }

    @Test
    void aLineWithoutItsTotalIsRefused() throws SQLException {
        // The runtime computes line totals at the currency's scale; the database no longer does.
        String draft = RawScope.tenant(a.tenantId()).rollback(app(),
                c -> Sql.strings(c, "select id::text from agency.invoices where status = 'draft' limit 1").getFirst());
        String insert = "insert into agency.invoice_items (tenant_id, id, invoice_id, position, description, quantity,"
                + " unit_price) values ('" + a.tenantId() + "', '" + UUID.randomUUID() + "', '" + draft + "', 9, 'Extra', 1, 1)";
        SQLException error = Sql.expectFailure("23502", () -> RawScope.tenant(a.tenantId()).probe(app(), insert));
        assertThat(error.getMessage()).contains("line_total");
        BigDecimal total = RawScope.tenant(a.tenantId()).rollback(app(), c -> {
            try (var statement = c.prepareStatement("select line_total from agency.invoice_items where quantity = 12.5");
                    var rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getBigDecimal(1);
            }
        });
        assertThat(total).isEqualByComparingTo("1187.50");
    }

    private static DataSource app() {
        return db.appDataSource();
    }
}
