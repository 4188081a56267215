package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TenantClosedException;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.Sql;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.schema.internal.MigrationSessions;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offboarding a tenant among several: closing it (its transactions turn read-only in the database,
 * raw SQL included, while reads go on), then the owner's purge, cut short by a killed connection and
 * resumed, while other tenants keep writing the same tables; the runtime roles cannot reach the
 * purge's path, and bad calls write nothing.
 */
class TenantOffboardingTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Actor ALICE = Actor.service("alice-admin");
    private static final Actor OFFBOARDING = Actor.service("offboarding");

    private static Sentinel sentinel;

    @BeforeAll
    static void start() throws SQLException {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY).build();
        // A service's own tables that no generated class knows: one that references itself, and two
        // that reference each other (a cycle), each tenant-scoped, audited and row-secured. In one
        // transaction of a migration session, as a migration runs (on Citus, the session's settings
        // and a transaction block, in which the helpers' SET LOCALs reach the workers), and one
        // subcommand per ALTER TABLE that adds a key (Citus refuses a constraint among others).
        try (Connection owner = new MigrationSessions(db.ownerDataSource()).getConnection()) {
            owner.setAutoCommit(false);
            owner.createStatement().execute("""
                    create table folders (
                        tenant_id uuid not null references sentinel.tenants (id),
                        id uuid not null,
                        parent_id uuid,
                        primary key (tenant_id, id),
                        foreign key (tenant_id, parent_id) references folders (tenant_id, id));
                    select sentinel.distribute('folders');
                    select sentinel.enable_tenant_rls('folders');
                    select sentinel.audit_table('folders');
                    create table owners (
                        tenant_id uuid not null references sentinel.tenants (id),
                        id uuid not null,
                        favourite_folder uuid,
                        primary key (tenant_id, id),
                        foreign key (tenant_id, favourite_folder) references folders (tenant_id, id));
                    select sentinel.distribute('owners');
                    select sentinel.enable_tenant_rls('owners');
                    select sentinel.audit_table('owners');
                    alter table folders add column owner_id uuid;
                    alter table folders add foreign key (tenant_id, owner_id) references owners (tenant_id, id) deferrable initially deferred;
                    grant select, insert, update, delete on folders, owners to sentinel_app;
                    """);
            owner.commit();
        }
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void aClosedTenantReadsButRefusesEveryWriteUntilReopened() {
        UUID tenant = Tenants.create(sentinel);
        UUID other = Tenants.create(sentinel);
        WidgetsRecord kept = insertWidget(tenant, "kept");

        ClosedTenant closed = sentinel.system(ALICE).inTransaction(tx -> TenantLifecycle.close(tx, tenant, Duration.ofDays(30)));
        assertThat(closed.purgeAfter()).isEqualTo(closed.closedAt().plusDays(30));

        var scope = sentinel.tenant(tenant, ALICE);
        String name = scope.inTransaction(tx -> tx.table(WIDGETS).get(kept.getId()).getName());
        assertThat(name).isEqualTo("kept");
        assertThat(widgets(tenant)).describedAs("raw reads").isEqualTo(1);

        TenantClosedException refused = (TenantClosedException) catchThrowable(() -> insertWidget(tenant, "new"));
        assertThat(refused.tenantId()).isEqualTo(tenant);
        assertThat(refused.closedAt()).isEqualTo(closed.closedAt());
        assertThat(refused).hasMessageContaining("closed since " + closed.closedAt().toInstant());
        assertThatThrownBy(() -> scope.useTransaction(tx -> tx.table(WIDGETS).update(kept.setName("renamed"))))
                .isInstanceOf(TenantClosedException.class);
        assertThatThrownBy(() -> scope.useTransaction(tx -> tx.dsl().execute("delete from widgets")))
                .describedAs("raw SQL through tx.dsl()").isInstanceOf(TenantClosedException.class);
        assertThatThrownBy(() -> scope.useTransaction(tx -> {
            tx.dsl().fetchCount(WIDGETS);
            tx.dsl().execute("set transaction read write");
        })).describedAs("raw SQL cannot turn the transaction back to read-write").isInstanceOf(DatabaseException.class)
                .hasMessageContaining("read-write");
        assertThatThrownBy(() -> scope.useTransaction(tx -> tx.dsl().execute(
                "update sentinel.tenants set closed_at = null, purge_after = null")))
                .describedAs("nor reopen itself").isInstanceOf(TenantClosedException.class);
        assertThatThrownBy(() -> scope.useTransaction(tx -> tx.audit().record(dev.sentinel.core.audit.AuditEvent.of("note.add"))))
                .isInstanceOf(TenantClosedException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).with(TxOptions.defaults().withReadOnly())
                .useTransaction(tx -> tx.dsl().execute("delete from widgets")))
                .describedAs("a transaction asked read-only is not the closed tenant's refusal")
                .isNotInstanceOf(TenantClosedException.class).isInstanceOf(DatabaseException.class);
        insertWidget(other, "the other tenant writes on");

        assertThatThrownBy(() -> sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.close(tx, tenant, Duration.ZERO)))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("closed already, since");
        sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.reopen(tx, tenant));
        insertWidget(tenant, "new");
        assertThat(widgets(tenant)).isEqualTo(2);
        assertThatThrownBy(() -> sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.reopen(tx, tenant)))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is open");
    }

    @Test
    void onlyTheSystemScopeClosesOrReopensATenant() throws SQLException {
        UUID tenant = Tenants.create(sentinel);
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> TenantLifecycle.close(tx, tenant, Duration.ZERO)))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("system scope");
        // Raw SQL in the tenant's own scope, past the Java check: the database's guard refuses.
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.dsl().execute(
                "update sentinel.tenants set closed_at = now(), purge_after = now()")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("only in the system scope");
        Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(tenant).commit(db.appDataSource(), c -> {
            c.createStatement().execute("set local sentinel.scope = 'system'");
            return c.createStatement().executeUpdate("update sentinel.tenants set closed_at = now(), purge_after = now()");
        }));
        assertThatThrownBy(() -> sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.close(tx, UUID.randomUUID(), Duration.ZERO)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.close(tx, tenant, Duration.ofSeconds(-1))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(RawScope.system().count(db.ownerDataSource(), "select count(*) from sentinel.tenants where id = ? and closed_at is null",
                tenant)).isEqualTo(1);
    }

    @Test
    void badPurgesAreRefusedWithATypedErrorAndWriteNothing() throws SQLException {
        UUID open = Tenants.create(sentinel);
        UUID inGrace = Tenants.create(sentinel);
        insertWidget(inGrace, "still here");
        sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.close(tx, inGrace, Duration.ofDays(30)));
        TenantPurge purge = TenantPurge.using(db.ownerDataSource());
        long before = purgeRows();

        assertThatThrownBy(() -> purge.purge(UUID.randomUUID(), OFFBOARDING)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no tenant");
        assertThatThrownBy(() -> purge.purge(open, OFFBOARDING)).isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("is open; close it first");
        assertThatThrownBy(() -> purge.purge(inGrace, OFFBOARDING)).isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("grace period ends at");
        assertThatThrownBy(() -> purge.purge(null, OFFBOARDING)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> purge.batchSize(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TenantPurge.using(null)).isInstanceOf(InvalidInputException.class);

        assertThat(purgeRows()).describedAs("nothing written").isEqualTo(before);
        assertThat(rowsOf(inGrace)).containsEntry("public.widgets", 1L);
        assertThat(widgets(inGrace)).isEqualTo(1);
    }

    @Test
    void theRuntimeRolesCannotRunThePurgePath() throws SQLException {
        UUID tenant = Tenants.create(sentinel);
        insertWidget(tenant, "target");
        sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.close(tx, tenant, Duration.ZERO));
        long before = purgeRows();

        for (var runtime : List.of(db.appDataSource(), db.systemDataSource())) {
            assertThatThrownBy(() -> TenantPurge.using(runtime).purge(tenant, OFFBOARDING))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("runs as the owner role");
            // The purge's way past the triggers, and its bookkeeping, stay the owner's.
            Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().rollback(runtime,
                    c -> c.createStatement().execute("set local session_replication_role = replica")));
            Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().probe(runtime,
                    "insert into sentinel.tenant_purges (purged_tenant, actor) values (?, 'attacker')", tenant));
            Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().probe(runtime,
                    "update sentinel.tenant_purge_tables set done = true"));
            Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().rollback(runtime, c -> {
                c.createStatement().execute("set local sentinel.audit_removal = 'tenant purge'");
                return c.createStatement().executeUpdate("delete from sentinel.audit_log");
            }));
            Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().probe(runtime,
                    "delete from sentinel.system_audit_log"));
        }
        Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().count(db.appDataSource(),
                "select count(*) from sentinel.tenant_purges"));
        assertThat(purgeRows()).isEqualTo(before);
        assertThat(rowsOf(tenant)).containsEntry("public.widgets", 1L);
    }

    @Test
    void offboardingOneTenantUnderLoadSurvivesACrashAndResumes() throws Exception {
        UUID target = Tenants.create(sentinel);
        List<UUID> others = List.of(Tenants.create(sentinel), Tenants.create(sentinel), Tenants.create(sentinel));
        for (UUID tenant : concat(target, others)) {
            fill(tenant);
        }
        sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.close(tx, target, Duration.ZERO));
        sentinel.auditChain().sealAll();
        Map<String, Long> expected = rowsOf(target);
        Map<UUID, Map<String, Long>> othersBefore = new LinkedHashMap<>();
        for (UUID tenant : others) {
            othersBefore.put(tenant, rowsOf(tenant));
        }
        assertThat(expected.get("public.widgets")).isEqualTo(3_001L);
        assertThat(expected).containsKeys("public.folders", "public.owners", "sentinel.tenant_members", "sentinel.jobs",
                "sentinel.number_counters", "sentinel.audit_log", "sentinel.audit_chain");

        // Writers on the other tenants, through the purge and its crash.
        AtomicBoolean writing = new AtomicBoolean(true);
        Map<UUID, AtomicInteger> written = new ConcurrentHashMap<>();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (UUID tenant : others.subList(0, 2)) {
            written.put(tenant, new AtomicInteger());
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (writing.get()) {
                        insertWidget(tenant, "load-" + UUID.randomUUID());
                        written.get(tenant).incrementAndGet();
                    }
                } catch (Throwable e) {
                    writerError.set(e);
                }
            }));
        }

        // The crash: the purge's backend is terminated once part of the tenant's rows are gone.
        TenantPurge purge = TenantPurge.using(db.ownerDataSource()).batchSize(100);
        Thread killer = Thread.ofPlatform().start(() -> {
            try (Connection admin = db.adminDataSource().getConnection()) {
                while (Sql.count(admin, "select coalesce(sum(rows_deleted), 0) from sentinel.tenant_purge_tables"
                        + " where purged_tenant = ?", target) < 500) {
                    Thread.sleep(1);
                }
                Sql.count(admin, "select count(pg_terminate_backend(pid)) from pg_stat_activity where usename = ?"
                        + " and datname = current_database() and pid <> pg_backend_pid()", db.roles().owner());
            } catch (SQLException | InterruptedException e) {
                writerError.set(e);
            }
        });
        assertThatThrownBy(() -> purge.purge(target, OFFBOARDING)).isInstanceOf(ConnectionLostException.class);
        killer.join();
        long deletedBeforeCrash;
        try (Connection admin = db.adminDataSource().getConnection()) {
            deletedBeforeCrash = Sql.count(admin, "select sum(rows_deleted) from sentinel.tenant_purge_tables"
                    + " where purged_tenant = ?", target);
        }
        assertThat(deletedBeforeCrash).isBetween(500L, totalOf(expected) - 1);
        assertThatThrownBy(() -> sentinel.system(ALICE).useTransaction(tx -> TenantLifecycle.reopen(tx, target)))
                .describedAs("a half-purged tenant stays closed").isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("purge has started");

        PurgeReport report = purge.purge(target, OFFBOARDING);
        writing.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(writerError.get()).isNull();

        // Every row counted once over both runs, and none left anywhere.
        expected.put("sentinel.tenants", 1L);
        Map<String, Long> deleted = new LinkedHashMap<>(report.rowsDeleted());
        deleted.values().removeIf(rows -> rows == 0);
        assertThat(deleted).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(rowsOf(target)).describedAs("rows of the purged tenant in any table").isEmpty();
        List<String> order = new ArrayList<>(report.rowsDeleted().keySet());
        assertThat(order.indexOf("sentinel.tenant_role_assignments")).describedAs("a child before its parent")
                .isLessThan(order.indexOf("sentinel.tenant_members"));
        assertThat(order.subList(order.size() - 3, order.size()))
                .containsExactly("sentinel.audit_log", "sentinel.audit_chain", "sentinel.tenants");

        // One record in the system trail, and no audit row for the deleted rows anywhere.
        try (Connection admin = db.adminDataSource().getConnection()) {
            List<String> record = Sql.strings(admin, "select actor_label || ' ' || (meta -> 'rows_deleted' ->> 'public.widgets')"
                    + " from sentinel.system_audit_log where action = 'tenant.purge' and entity_id = ?", target);
            assertThat(record).containsExactly("offboarding 3001");
            assertThat(Sql.count(admin, "select count(*) from sentinel.audit_log where tenant_id = ?", target)).isZero();
        }

        // The other tenants: their rows as written, their trails sealed and verifying.
        for (UUID tenant : others) {
            Map<String, Long> now = rowsOf(tenant);
            Map<String, Long> was = othersBefore.get(tenant);
            int added = written.containsKey(tenant) ? written.get(tenant).get() : 0;
            assertThat(now.get("public.widgets")).isEqualTo(was.get("public.widgets") + added);
            assertThat(now.get("sentinel.audit_log")).isEqualTo(was.get("sentinel.audit_log") + added);
            sentinel.auditChain().seal(tenant);
            assertThat(sentinel.auditChain().verify(tenant).intact()).describedAs("chain of " + tenant).isTrue();
        }
        assertThat(written.values().stream().mapToInt(AtomicInteger::get).sum()).isPositive();
        System.out.printf("TenantOffboardingTest: purged %d rows in %d tables (%d before the crash), while %s other rows were"
                + " written%n", report.totalRows(), report.rowsDeleted().size(), deletedBeforeCrash, written);

        assertThatThrownBy(() -> purge.purge(target, OFFBOARDING)).isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("was purged at");
    }

    @Test
    void offboardingExample() {
        UUID tenantId = Tenants.create(sentinel);
        insertWidget(tenantId, "a widget");
        DataSource ownerDataSource = db.ownerDataSource();
        // Close: the tenant reads on for 30 days but writes nothing more.
        ClosedTenant closed = sentinel.system(Actor.service("offboarding"))
                .inTransaction(tx -> TenantLifecycle.close(tx, tenantId, Duration.ofDays(30)));
        // ... 30 days later (or sooner, on request), as the owner role:
        PurgeReport report = TenantPurge.using(ownerDataSource)
                .ignoringGracePeriod()                    // only because this example does not wait 30 days
                .purge(tenantId, Actor.service("offboarding"));
        assertThat(report.rowsDeleted()).containsEntry("public.widgets", 1L).containsEntry("sentinel.tenants", 1L);
        assertThat(closed.purgeAfter()).isAfter(report.finishedAt());
    }

    // ---------------------------------------------------------------------------------------------

    private static int widgets(UUID tenant) {
        Integer count = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.dsl().fetchCount(WIDGETS));
        return count;
    }

    private static WidgetsRecord insertWidget(UUID tenant, String name) {
        return sentinel.tenant(tenant, ALICE).inTransaction(tx -> {
            WidgetsRecord widget = new WidgetsRecord();
            widget.setName(name);
            return tx.table(WIDGETS).insert(widget);
        });
    }

    /** Rows of the tenant in many tables: the service's own, the kernel's, a member, a job, a counter. */
    private static void fill(UUID tenant) {
        sentinel.tenant(tenant, ALICE).useTransaction(tx -> {
            // Many-row VALUES rather than INSERT ... SELECT generate_series, which Citus runs as a
            // COPY into the shards and refuses under row-level security.
            insertValues(tx, "insert into widgets (tenant_id, id, name) values ", "(?, gen_random_uuid(), 'w' || gen_random_uuid())",
                    3000, tenant);
            insertValues(tx, "insert into gadgets (tenant_id, id, label) values ", "(?, gen_random_uuid(), 'g')", 200, tenant);
            UUID root = UUID.randomUUID();
            UUID owner = UUID.randomUUID();
            tx.dsl().execute("insert into folders (tenant_id, id, owner_id) values (?, ?, ?)", tenant, root, owner);
            tx.dsl().execute("insert into owners (tenant_id, id, favourite_folder) values (?, ?, ?)", tenant, owner, root);
            insertValues(tx, "insert into folders (tenant_id, id, parent_id, owner_id) values ", "(?, gen_random_uuid(), ?, ?)",
                    50, tenant, root, owner);
            tx.numbering().next("order", "2026");
            tx.jobs().enqueue("mail", "{\"to\": \"someone\"}");
        });
        insertWidget(tenant, "one more");
        UUID user = sentinel.system(ALICE).inTransaction(tx -> tx.users().create("member-" + UUID.randomUUID() + "@example.com",
                "Member").id());
        sentinel.system(ALICE).useTransaction(tx -> tx.dsl().execute("insert into sentinel.tenant_members (tenant_id, user_id,"
                + " status) values (?, ?, 'active')", tenant, user));
    }

    /** One insert of {@code rows} copies of {@code row}, each with the same binds. */
    private static void insertValues(dev.sentinel.core.Tx tx, String insert, String row, int rows, Object... binds) {
        List<Object> all = new ArrayList<>();
        StringBuilder sql = new StringBuilder(insert);
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
            all.addAll(List.of(binds));
        }
        tx.dsl().execute(sql.toString(), all.toArray());
    }

    /** Rows with the tenant's id in every table that has a tenant_id, read as a superuser. */
    private static Map<String, Long> rowsOf(UUID tenant) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection admin = db.adminDataSource().getConnection()) {
            admin.createStatement().execute("set search_path = pg_catalog");
            for (String table : Sql.strings(admin, "select c.oid::regclass::text from pg_class c join pg_attribute a on"
                    + " a.attrelid = c.oid and a.attname = 'tenant_id' join pg_namespace n on n.oid = c.relnamespace"
                    + " where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') order by 1")) {
                long rows = Sql.count(admin, "select count(*) from " + table + " where tenant_id = ?", tenant);
                if (rows > 0) {
                    counts.put(table, rows);
                }
            }
        }
        return counts;
    }

    private static long purgeRows() throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection()) {
            return Sql.count(admin, "select (select count(*) from sentinel.tenant_purges)"
                    + " + (select count(*) from sentinel.tenant_purge_tables)"
                    + " + (select count(*) from sentinel.system_audit_log where action = 'tenant.purge')");
        }
    }

    private static long totalOf(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<UUID> concat(UUID first, List<UUID> rest) {
        List<UUID> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static Throwable catchThrowable(Runnable call) {
        try {
            call.run();
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }
}
