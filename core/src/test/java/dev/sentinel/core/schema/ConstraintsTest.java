package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * The rules the kernel's schema enforces on its own, whatever code writes: secrets only as
 * ciphertext (in a service's tenant table and in {@code sentinel.users}), one live job per dedupe key,
 * a lease exactly while a job runs, and well-formed number counters. (A module's rules are its own
 * module's tests, such as the agency's invoice numbers in {@code dev.sentinel.agency.schema.ConstraintsTest}.)
 */
class ConstraintsTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static TenantRows a;

    @BeforeAll
    static void insertATenant() throws SQLException {
        a = SchemaFixture.insertTenant(db.systemDataSource(), "tenant-a", SchemaFixture.insertGlobals(db.systemDataSource()));
    }

    @Test
    void secretColumnsRejectClearTextAndAcceptTheSealedFormat() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        String note = "update public.widgets set secret_note = ?";
        SQLException clear = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> tenant.probe(app(), note, "the vault code is 7341-alpha"));
        assertThat(clear.getMessage()).contains("widgets_secret_note_sealed");
        assertThat(tenant.probe(app(), note, SchemaFixture.fakeCiphertext())).isEqualTo(1);

        String mfa = "update sentinel.users set mfa_secret = ? where id = ?";
        SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> RawScope.system().probe(system(), mfa, "JBSWY3DPEHPK3PXP", a.ownerId()));
        assertThat(error.getMessage()).contains("users_mfa_secret_sealed");
        assertThat(RawScope.system().probe(system(), mfa, SchemaFixture.fakeCiphertext(), a.ownerId()))
                .isEqualTo(1);
        // A payload too short to hold a nonce and a tag is not ciphertext either.
        Sql.expectFailure(Sql.CHECK_VIOLATION,
                () -> RawScope.system().probe(system(), mfa, "sv1:k1:c2hvcnQ", a.ownerId()));
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
        // The token is a bind: Citus refuses a volatile function (gen_random_uuid) in an update.
        int claimed = RawScope.tenant(a.tenantId()).probe(app(), "update sentinel.jobs set state = 'running', attempts = 1,"
                + " lease_owner = 'worker-1', lease_token = ?, lease_expires_at = now() + interval '5 minutes'"
                + " where state = 'queued'", UUID.randomUUID());
        assertThat(claimed).isEqualTo(1);
    }

    /**
     * Each rule of a job row refuses a raw write with its own constraint name and SQLSTATE, which
     * error translation and callers match on: outside Citus nine of them are one function call per
     * statement (kernel V40), on Citus they are CHECKs; the names must be the same on both.
     */
    @Test
    void eachJobRowRuleRefusesAWriteWithItsOwnName() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        boolean citus = ClusterCheck.isCitus(db.adminDataSource());
        String[][] rules = { // column, a value that breaks its rule, the rule's name
            {"queue", "'Not A Queue'", "jobs_queue_format"},
            {"job_type", "'Reports Build'", "jobs_type_format"},
            {"priority", "5000", "jobs_priority_check"},
            {"payload", "'[1, 2]'::jsonb", "jobs_payload_object"},
            {"attempts", "7", "jobs_attempts_check"},
            {"finished_at", "now()", "jobs_finished_check"},
            {"dedupe_key", "''", "jobs_dedupe_key_length"},
            {"traceparent", "'not-a-traceparent'", "jobs_traceparent_format"}};
        for (String[] rule : rules) {
            String column = rule[0];
            String value = rule[1];
            String name = rule[2];
            String insert = column.equals("job_type")
                    ? "insert into sentinel.jobs (tenant_id, id, job_type) values (current_setting('sentinel.tenant_id')::uuid, ?, " + value + ")"
                    : "insert into sentinel.jobs (tenant_id, id, job_type, " + column + ")"
                            + " values (current_setting('sentinel.tenant_id')::uuid, ?, 'reports.build', " + value + ")";
            SQLException error = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(app(), insert, UUID.randomUUID()));
            assertThat(error.getMessage()).describedAs(column).contains(name);
            if (!citus) { // Citus relays a worker's error without its constraint field (docs/recipes.md)
                assertThat(((PSQLException) error).getServerErrorMessage().getConstraint()).describedAs(column).isEqualTo(name);
            }
        }
    }

    @Test
    void aNumberCounterHasAWellFormedSeriesAndPeriodAndNeverGoesBelowZero() throws SQLException {
        RawScope tenant = RawScope.tenant(a.tenantId());
        String insert = "insert into sentinel.number_counters (tenant_id, series, period, last_value)"
                + " values (current_setting('sentinel.tenant_id')::uuid, ?, ?, ?)";
        // Only the owner writes counters (sentinel.next_number runs as the owner; kernel V14). On a
        // Citus coordinator V22's trigger lets a counter only start at 1 and move by one, before any
        // check: the checks are probed there with a first value of 1, and a negative one is the
        // trigger's refusal.
        boolean citus = ClusterCheck.isCitus(db.adminDataSource());
        int first = citus ? 1 : 0;
        DataSource owner = db.ownerDataSource();
        SQLException series = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(owner, insert, "bad series!", "2026", first));
        assertThat(series.getMessage()).contains("number_counters_series_format");
        SQLException period = Sql.expectFailure(Sql.CHECK_VIOLATION, () -> tenant.probe(owner, insert, "order", "2026/27", first));
        assertThat(period.getMessage()).contains("number_counters_period_format");
        SQLException negative = Sql.expectFailure(citus ? Sql.INSUFFICIENT_PRIVILEGE : Sql.CHECK_VIOLATION,
                () -> tenant.probe(owner, insert, "order", "2027", -1));
        assertThat(negative.getMessage()).contains(citus ? "a counter starts at 1 and moves by one" : "number_counters_last_value_check");
        SQLException twice = Sql.expectFailure(Sql.UNIQUE_VIOLATION, () -> tenant.probe(owner, insert, "order", "2026", citus ? 1 : 5));
        assertThat(twice.getMessage()).describedAs("one counter per tenant, series and period").contains("number_counters_pkey");
        assertThat(tenant.probe(owner, insert, "INV:2026.Q1", "", first)).describedAs("a counter that never restarts").isEqualTo(1);
        // Off Citus the formats are a trigger on the key's columns (kernel V42), so a rewritten key is
        // checked as an inserted one; on Citus they are still the table's check constraints.
        String rekey = "update sentinel.number_counters set series = ?, period = ? where tenant_id = current_setting('sentinel.tenant_id')::uuid"
                + " and series = 'INV:2026.Q1'";
        SQLException rekeyedSeries = Sql.expectFailure(citus ? Sql.INSUFFICIENT_PRIVILEGE : Sql.CHECK_VIOLATION,
                () -> tenant.rollback(owner, connection -> {
                    assertThat(Sql.update(connection, insert, "INV:2026.Q1", "", first)).isEqualTo(1);
                    return Sql.update(connection, rekey, "bad series!", "");
                }));
        SQLException rekeyedPeriod = Sql.expectFailure(citus ? Sql.INSUFFICIENT_PRIVILEGE : Sql.CHECK_VIOLATION,
                () -> tenant.rollback(owner, connection -> {
                    assertThat(Sql.update(connection, insert, "INV:2026.Q1", "", first)).isEqualTo(1);
                    return Sql.update(connection, rekey, "INV", "2026/27");
                }));
        if (!citus) {
            assertThat(rekeyedSeries.getMessage()).contains("number_counters_series_format");
            assertThat(rekeyedPeriod.getMessage()).contains("number_counters_period_format");
        }
    }

    private static DataSource app() {
        return db.appDataSource();
    }

    private static DataSource system() {
        return db.systemDataSource();
    }
}
