package dev.sentinel.core.citus;

import static dev.sentinel.core.db.Tables.AUDIT_LOG;
import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.core.db.Tables.USERS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Record2;
import org.jooq.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sentinel on a real Citus cluster: the migrations distribute every table from an empty database,
 * the transaction's settings reach the workers, each write is audited once under the table's
 * logical name (reference tables included) and the chain seals and verifies, and every statement
 * the repository sends for a tenant runs on one shard. Runs only with {@code -Pcitus} (which
 * points the test fixture at SENTINEL_CITUS_URL); skipped otherwise.
 */
@EnabledIfSystemProperty(named = "sentinel.citus", matches = "required",
        disabledReason = "a Citus test: run with -Pcitus and SENTINEL_CITUS_URL, a Citus coordinator's superuser JDBC URL")
class CitusClusterTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Actor DAVE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000da7e"));
    private static Sentinel sentinel;

    @BeforeAll
    static void start() throws SQLException {
        assertThat(query("select count(*) from pg_dist_node where isactive").getFirst())
                .describedAs("the test database must be on a Citus cluster with its nodes registered")
                .isNotEqualTo("0");
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY).build();
    }

    @AfterAll
    static void stop() {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Test
    void everyTenantTableIsDistributedInOneGroupAndEveryGlobalTableIsAReferenceTable() throws SQLException {
        List<String> misplaced = query("""
                select c.oid::regclass || ': ' || coalesce(p.partmethod::text || '/' || p.repmodel::text, 'local')
                  from pg_class c
                  join pg_namespace n on n.oid = c.relnamespace
                  left join pg_dist_partition p on p.logicalrelid = c.oid
                 where n.nspname in ('sentinel', 'public') and c.relkind in ('r', 'p')
                   and c.relname <> 'flyway_schema_history' and c.relname !~ '_[0-9]+$'
                   and case when exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
                            then p.partmethod is distinct from 'h'
                            else p.repmodel is distinct from 't' end
                """);
        assertThat(misplaced).describedAs("tables not placed as the helper places them").isEmpty();
        assertThat(query("""
                select count(distinct colocationid) from pg_dist_partition where partmethod = 'h'"""))
                .describedAs("colocation groups of the distributed tables").containsExactly("1");
    }

    @Test
    void theSettingsReachTheWorkersSoATenantReadsItsRowsAndOnlyThem() {
        UUID acme = Tenants.create(sentinel);
        UUID globex = Tenants.create(sentinel);
        sentinel.tenant(acme, DAVE).useTransaction(tx -> {
            tx.table(WIDGETS).insert(new WidgetsRecord().setName("anvil"));
            tx.table(WIDGETS).insert(new WidgetsRecord().setName("rocket"));
        });
        int acmeWidgets = sentinel.tenant(acme, DAVE).inTransaction(tx -> tx.dsl().fetchCount(WIDGETS));
        int globexWidgets = sentinel.tenant(globex, DAVE).inTransaction(tx -> tx.dsl().fetchCount(WIDGETS));
        int acmeAuditSeenByGlobex = sentinel.tenant(globex, DAVE).inTransaction(tx ->
                tx.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(acme)));
        int noTenant = sentinel.tenant(globex, DAVE).inTransaction(tx ->
                tx.dsl().fetchCount(tx.dsl().selectFrom(WIDGETS).where(WIDGETS.TENANT_ID.eq(acme))));
        assertThat(acmeWidgets).describedAs("acme's widgets, read on the workers with acme's settings").isEqualTo(2);
        assertThat(globexWidgets).isZero();
        assertThat(acmeAuditSeenByGlobex).isZero();
        assertThat(noTenant).describedAs("acme's widgets asked for by name from globex's scope").isZero();
    }

    @Test
    void eachWriteIsAuditedOnceUnderItsLogicalNameAndTheChainVerifies() {
        UUID acme = Tenants.create(sentinel);                                  // tenants: a reference table
        sentinel.system(DAVE).useTransaction(tx -> tx.dsl().update(TENANTS).set(TENANTS.NAME, "Acme renamed")
                .where(TENANTS.ID.eq(acme)).execute());
        UUID widget = sentinel.tenant(acme, DAVE).inTransaction(tx ->     // widgets: a distributed table
                tx.table(WIDGETS).insert(new WidgetsRecord().setName("anvil")).getId());
        sentinel.tenant(acme, DAVE).useTransaction(tx -> tx.table(WIDGETS).softDelete(widget, "duplicate"));

        Result<Record2<String, String>> trail = sentinel.tenant(acme, DAVE).inTransaction(tx ->
                tx.dsl().select(AUDIT_LOG.ENTITY_TYPE, AUDIT_LOG.ACTION).from(AUDIT_LOG).orderBy(AUDIT_LOG.TX, AUDIT_LOG.SEQ).fetch());
        List<String> rows = new ArrayList<>();
        trail.forEach(r -> rows.add(r.value1() + " " + r.value2()));
        assertThat(rows).describedAs("one audit row per write, under the table's logical name, not a shard's")
                .containsExactly("tenants insert", "tenants update", "public.widgets insert", "public.widgets soft_delete");

        assertThat(sentinel.auditChain().seal(acme)).isEqualTo(4);
        ChainVerification verification = sentinel.auditChain().verify(acme);
        assertThat(verification.intact()).describedAs(verification.toString()).isTrue();
        assertThat(verification.verifiedLinks()).isEqualTo(4);
    }

    @Test
    void aTenantSeesTheUsersOfItsMembersOnly() {
        UUID acme = Tenants.create(sentinel);
        UUID member = People.member(sentinel, acme, "Mia Member", "staff");
        UUID stranger = People.user(sentinel, "Sam Stranger");
        List<UUID> visible = sentinel.tenant(acme, DAVE).inTransaction(tx ->
                tx.dsl().select(USERS.ID).from(USERS).where(USERS.ID.in(member, stranger)).fetch(USERS.ID));
        assertThat(visible).containsExactly(member);
    }

    @Test
    void everyRepositoryStatementForATenantRunsOnOneShard() {
        UUID acme = Tenants.create(sentinel);
        // With this setting Citus refuses any statement that would run as more than one task, so
        // each of the repository's statements below is a one-shard router plan, or the test fails.
        sentinel.tenant(acme, DAVE).useTransaction(tx -> {
            tx.dsl().execute("set local citus.multi_task_query_log_level = 'error'");
            WidgetsRecord anvil = tx.table(WIDGETS).insert(new WidgetsRecord().setName("anvil"));
            tx.table(WIDGETS).get(anvil.getId());
            tx.table(WIDGETS).find(anvil.getId());
            tx.table(WIDGETS).update(anvil.setName("anvil 2"));
            tx.table(WIDGETS).list(WIDGETS.NAME.eq("anvil 2"), PageRequest.first(10));
            tx.table(WIDGETS).count(WIDGETS.NAME.isNotNull());
            tx.table(WIDGETS).upsert(new WidgetsRecord().setName("anvil 2").setColor("red"), WIDGETS.NAME);
            tx.table(WIDGETS).softDelete(anvil.getId(), "gone");
            tx.table(WIDGETS).withDeleted().get(anvil.getId());
            tx.table(WIDGETS).onlyDeleted().list(WIDGETS.NAME.isNotNull(), PageRequest.first(10));
            tx.table(WIDGETS).restore(anvil.getId());
        });
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection connection = db.adminDataSource().getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }
}
