package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.schema.SchemaFixture.TenantRows;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rules the schema enforces on its own, whatever code writes: secrets only as ciphertext, an
 * invoice number exactly when issued, soft delete of drafts only, one live job per dedupe key.
 */
class ConstraintsTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static TenantRows a;

    @BeforeAll
    static void insertATenant() throws SQLException {
        a = SchemaFixture.insertTenant(db.appDataSource(), "tenant-a", SchemaFixture.insertGlobals(db.appDataSource()));
    }

    @Test
    void secretColumnsRejectClearTextAndAcceptTheSealedFormat() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        for (String column : new String[] {"access_token", "refresh_token"}) {
            String sql = "update agency.integrations set " + column + " = ?";
            SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION,
                    () -> tenant.probe(app(), sql, "ya29.a0AfH6SMBx-clear-text-token"));
            assertThat(error.getMessage()).contains("integrations_" + column + "_sealed");
            assertThat(tenant.probe(app(), sql, SchemaFixture.fakeCiphertext())).isEqualTo(1);
        }

        String mfa = "update sentinel.users set mfa_secret = ? where id = ?";
        SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> RawScope.system().probe(app(), mfa, "JBSWY3DPEHPK3PXP", a.ownerId()));
        assertThat(error.getMessage()).contains("users_mfa_secret_sealed");
        assertThat(RawScope.system().probe(app(), mfa, SchemaFixture.fakeCiphertext(), a.ownerId()))
                .isEqualTo(1);
        // A payload too short to hold a nonce and a tag is not ciphertext either.
        Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> RawScope.system().probe(app(), mfa, "sv1:k1:c2hvcnQ", a.ownerId()));
    }

    @Test
    void anInvoiceHasANumberExactlyWhenItIsNoLongerADraft() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        // Since V19 a document with a number also carries its issue date and frozen totals (invoices_totals_check).
        String insert = "insert into agency.invoices (tenant_id, id, client_id, status, number, sequence_year,"
                + " sequence_number, issued_at, issued_on, net_total, tax_total, gross_total, currency)"
                + " select tenant_id, ?, id, ?, ?, ?, ?, ?, ?::date, ?::numeric, ?::numeric, ?::numeric, 'EUR'"
                + " from agency.clients limit 1";
        String day = "2026-03-02";
        SQLException numberedDraft = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert,
                UUID.randomUUID(), "draft", "INV-2026-000002", 2026, 2, SchemaFixture.T0, null, null, null, null));
        assertThat(numberedDraft.getMessage()).contains("invoices_number_check");
        SQLException unnumberedIssue = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert,
                UUID.randomUUID(), "issued", null, null, null, null, day, 40, 0, 40));
        assertThat(unnumberedIssue.getMessage()).contains("invoices_number_check");
        SQLException untotalledIssue = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert,
                UUID.randomUUID(), "issued", "INV-2026-000002", 2026, 2, SchemaFixture.T0, day, null, null, null));
        assertThat(untotalledIssue.getMessage()).contains("invoices_totals_check");

        SQLException reused = Sql.expectFailure(Sql.UNIQUE_VIOLATION, () -> tenant.probe(app(), insert,
                UUID.randomUUID(), "issued", "INV-2026-000001", 2026, 2, SchemaFixture.T0, day, 40, 0, 40));
        assertThat(reused.getMessage()).contains("invoices_number_key");
        assertThat(tenant.probe(app(), insert, UUID.randomUUID(), "issued", "INV-2026-000002",
                2026, 2, SchemaFixture.T0, day, 40, 0, 40)).describedAs("the next number").isEqualTo(1);
    }

    @Test
    void onlyADraftInvoiceCanBeSoftDeleted() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        String softDelete = "update agency.invoices set deleted_at = now(), delete_reason = 'mistake' where status = ?";
        // V19's guard refuses any change to an issued invoice before invoices_soft_delete_check is reached.
        SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> tenant.probe(app(), softDelete, "issued"));
        assertThat(((org.postgresql.util.PSQLException) error).getServerErrorMessage().getConstraint())
                .isEqualTo("invoices_issued_immutable");
        assertThat(tenant.probe(app(), softDelete, "draft")).isEqualTo(2);
    }

    @Test
    void aLineWithoutItsTotalIsRefused() throws SQLException {
        // Since V19 the runtime computes line totals at the currency's scale; the database no longer does.
        String insert = "insert into agency.invoice_items (tenant_id, id, invoice_id, position, description, quantity,"
                + " unit_price) select tenant_id, gen_random_uuid(), id, 9, 'Extra', 1, 1 from agency.invoices"
                + " where status = 'draft' limit 1";
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

    @Test
    void aDedupeKeyAllowsOneQueuedOrRunningJobAndIsFreeAfterwards() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        String enqueue = "insert into sentinel.jobs (tenant_id, id, job_type, dedupe_key)"
                + " values (current_setting('sentinel.tenant_id')::uuid, ?, 'reports.build', 'march')";
        int enqueued = tenant.commit(app(), c -> Sql.update(c, enqueue, UUID.randomUUID()));
        assertThat(enqueued).isEqualTo(1);
        SQLException duplicate = Sql.expectFailure(Sql.UNIQUE_VIOLATION,
                () -> tenant.probe(app(), enqueue, UUID.randomUUID()));
        assertThat(duplicate.getMessage()).contains("jobs_dedupe_live_key");

        int finished = tenant.commit(app(), c -> Sql.update(c, "update sentinel.jobs set state = 'succeeded',"
                + " attempts = 1, finished_at = now() where dedupe_key = 'march'"));
        assertThat(finished).isEqualTo(1);
        assertThat(tenant.probe(app(), enqueue, UUID.randomUUID()))
                .describedAs("the key is free once the job finished").isEqualTo(1);
    }

    @Test
    void aRunningJobHoldsALeaseAndOnlyThen() throws SQLException {
        SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> RawScope.tenant(a.tenantId()).probe(app(),
                "update sentinel.jobs set state = 'running', attempts = 1 where state = 'queued'"));
        assertThat(error.getMessage()).contains("jobs_lease_check");
        SQLException noToken = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> RawScope.tenant(a.tenantId()).probe(app(),
                "update sentinel.jobs set state = 'running', attempts = 1, lease_owner = 'worker-1',"
                        + " lease_expires_at = now() + interval '5 minutes' where state = 'queued'"));
        assertThat(noToken.getMessage()).describedAs("a lease needs its fencing token (V16)").contains("jobs_lease_check");
        int claimed = RawScope.tenant(a.tenantId()).probe(app(), "update sentinel.jobs set state = 'running', attempts = 1,"
                + " lease_owner = 'worker-1', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '5 minutes'"
                + " where state = 'queued'");
        assertThat(claimed).isEqualTo(1);
    }

    private static DataSource app() {
        return db.appDataSource();
    }
}
