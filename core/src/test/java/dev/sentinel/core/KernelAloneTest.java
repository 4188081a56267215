package dev.sentinel.core;

import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.db.enums.RoleScope;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.Resource;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service that depends on the kernel alone: its database holds Sentinel's kernel tables and the
 * service's own, no module's, and the service's own tables get every guarantee of the transaction API
 * (tenant scope, soft delete, the audit trail and its chain, gap-free numbering, jobs, RBAC narrowed
 * to its own resource type, and its own repository reached through {@code tx.attach}).
 */
class KernelAloneTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Actor SERVICE = Actor.service("kernel-alone");

    private static Sentinel sentinel;

    /** A service's own repository, registered as modules register theirs. */
    interface Paint {
        WidgetsRecord paint(UUID widgetId, String color);
    }

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY)
                .extension(Paint.class, tx -> (widgetId, color) -> {
                    tx.authorize("widget:paint", Resource.of("widget", widgetId));
                    WidgetsRecord widget = tx.table(WIDGETS).get(widgetId);
                    return tx.table(WIDGETS).update(widget.setColor(color));
                })
                .build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void theDatabaseHoldsTheKernelAndTheServiceAndNoModule() {
        // An extension's own schemas (Citus's citus and citus_internal on a coordinator) are not the database's.
        List<String> schemas = sentinel.system(SERVICE).inTransaction(tx -> tx.dsl().fetch(
                "select nspname from pg_namespace n where nspname not like 'pg\\_%' and nspname <> 'information_schema'"
                        + " and not exists (select from pg_depend d where d.classid = 'pg_namespace'::regclass"
                        + " and d.objid = n.oid and d.deptype = 'e') order by nspname").getValues(0, String.class));
        assertThat(schemas).containsExactly("public", "sentinel");
        List<String> kernelTables = sentinel.system(SERVICE).inTransaction(tx -> tx.dsl().fetch(
                "select tablename from pg_tables where schemaname = 'sentinel' order by tablename").getValues(0, String.class));
        assertThat(kernelTables).containsExactlyInAnyOrder("account_lockouts", "api_keys", "audit_chain", "audit_checkpoint",
                "audit_log", "audit_personal_values", "auth_attempts", "flyway_schema_history", "global_api_keys",
                "global_role_assignments", "job_schedules",
                "job_tenant_queues", "jobs", "number_counters",
                "permissions", "refresh_tokens", "resource_types", "role_permissions", "roles", "secret_key_checks",
                "system_audit_log", "system_audit_personal_values", "table_placements", "tenant_members",
                "tenant_purge_tables", "tenant_purges", "tenant_role_assignments", "tenants", "users");
    }

    @Test
    void aServiceTableGetsScopeSoftDeleteAuditAndTheChain() {
        UUID tenant = tenant("alone");
        UUID other = tenant("elsewhere");
        WidgetsRecord anvil = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            WidgetsRecord created = tx.table(WIDGETS).insert(new WidgetsRecord().setName("anvil"));
            tx.table(WIDGETS).softDelete(created.getId(), "duplicate");
            return tx.table(WIDGETS).withDeleted().get(created.getId());
        });
        assertThat(anvil.getDeleteReason()).isEqualTo("duplicate");
        int seenByOther = sentinel.tenant(other, SERVICE).inTransaction(tx -> tx.dsl().fetchCount(WIDGETS));
        assertThat(seenByOther).describedAs("another tenant sees none of its rows").isZero();

        List<AuditEntry> trail = sentinel.tenant(tenant, SERVICE).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.widgets", anvil.getId()), 10).entries());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("soft_delete", "insert");
        assertThat(sentinel.auditChain().seal(tenant)).isEqualTo(3);
        assertThat(sentinel.auditChain().verify(tenant).intact()).isTrue();
    }

    @Test
    void numbersAreGapFreePerSeriesAndPeriodAndARollbackGivesItsNumberBack() {
        UUID tenant = tenant("numbers");
        Scope scope = sentinel.tenant(tenant, SERVICE);
        assertThat(next(scope, "order", "2026")).isEqualTo(1);
        assertThatThrownBy(() -> scope.useTransaction(tx -> {
            assertThat(tx.numbering().next("order", "2026")).isEqualTo(2);
            throw new IllegalStateException("the order was not placed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(next(scope, "order", "2026")).isEqualTo(2);
        assertThat(next(scope, "order", "2027")).describedAs("a new period").isEqualTo(1);
        assertThat(next(scope, "order", "")).describedAs("a counter that never restarts").isEqualTo(1);
        long last = scope.inTransaction(tx -> tx.numbering().last("order", "2026"));
        assertThat(last).isEqualTo(2);
        assertThat(next(sentinel.tenant(tenant("other-numbers"), SERVICE), "order", "2026"))
                .describedAs("each tenant counts on its own").isEqualTo(1);

        assertThatThrownBy(() -> scope.useTransaction(tx -> tx.numbering().next("bad series!", "2026")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("series 'bad series!'");
        assertThatThrownBy(() -> sentinel.system(SERVICE).useTransaction(tx -> tx.numbering().next("order", "2026")))
                .isInstanceOf(MissingScopeException.class).hasMessageContaining("tx.numbering().next needs a tenant scope");
    }

    @Test
    void aJobOfTheServiceRunsInItsTenantsScope() throws InterruptedException {
        UUID tenant = tenant("jobs");
        UUID widget = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            UUID id = tx.table(WIDGETS).insert(new WidgetsRecord().setName("to-paint")).getId();
            tx.jobs().enqueue("widgets.paint", "{\"widget\": \"" + id + "\"}", JobOptions.defaults().queue("paint"));
            return id;
        });
        try (JobWorkers workers = JobWorkers.builder(sentinel)
                .handler("widgets.paint", (tx, job) -> {
                    WidgetsRecord w = tx.table(WIDGETS).get(widget);
                    tx.table(WIDGETS).update(w.setColor("blue"));
                    return JobOutcome.done();
                })
                .queue("paint", 1).pollInterval(Duration.ofMillis(20)).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sentinel.tenant(tenant, SERVICE).inTransaction(tx -> tx.jobs().list(JobState.SUCCEEDED, 10)).isEmpty()) {
                assertThat(System.nanoTime()).describedAs("the job succeeds within 30 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        String color = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> tx.table(WIDGETS).get(widget).getColor());
        assertThat(color).isEqualTo("blue");
    }

    @Test
    void aGrantNarrowedToOneWidgetCountsThereOnlyAndDiesWithTheWidget() {
        UUID tenant = tenant("rbac");
        UUID painter = sentinel.system(SERVICE).inTransaction(tx -> {
            tx.roles().define("widget_painter", "Widget painter", RoleScope.TENANT, Set.of("widget:paint"));
            return tx.users().create("painter-" + UUID.randomUUID() + "@example.com", "Painter").id();
        });
        UUID[] widgets = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            tx.members().add(painter, SeatType.PRO, null);
            UUID mine = tx.table(WIDGETS).insert(new WidgetsRecord().setName("mine")).getId();
            UUID theirs = tx.table(WIDGETS).insert(new WidgetsRecord().setName("theirs")).getId();
            tx.roles().assign(painter, "widget_painter", Resource.of("widget", mine));
            return new UUID[] {mine, theirs};
        });
        Scope asPainter = sentinel.tenant(tenant, Actor.user(painter));
        String painted = asPainter.inTransaction(tx -> tx.attach(Paint.class).paint(widgets[0], "red").getColor());
        assertThat(painted).isEqualTo("red");
        assertThatThrownBy(() -> asPainter.useTransaction(tx -> tx.attach(Paint.class).paint(widgets[1], "red")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("widget:paint");
        boolean canPaint = sentinel.tenant(tenant, SERVICE).inTransaction(tx ->
                tx.can(painter, "widget:paint", AccessScope.resource(tenant, Resource.of("widget", widgets[0]))));
        assertThat(canPaint).isTrue();

        assertThatThrownBy(() -> sentinel.tenant(tenant, SERVICE).useTransaction(tx ->
                tx.roles().assign(painter, "widget_painter", Resource.of("widget", UUID.randomUUID()))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("has no live widget");
        assertThatThrownBy(() -> sentinel.tenant(tenant, SERVICE).useTransaction(tx ->
                tx.roles().assign(painter, "widget_painter", Resource.of("gizmo", widgets[0]))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no resource type 'gizmo'");

        sentinel.system(SERVICE).useTransaction(tx -> tx.table(WIDGETS).purge(widgets[0]));
        int grantsLeft = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> tx.dsl().fetchSingle(
                "select count(*)::int from sentinel.tenant_role_assignments where user_id = ?", painter).get(0, Integer.class));
        assertThat(grantsLeft).describedAs("the grant narrowed to the purged widget is gone").isZero();
    }

    @Test
    void attachingATypeNoModuleRegisteredSaysWhatToAdd() {
        UUID tenant = tenant("attach");
        assertThatThrownBy(() -> sentinel.tenant(tenant, SERVICE).useTransaction(tx -> tx.attach(Runnable.class)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no module or extension registered java.lang.Runnable")
                .hasMessageContaining(".module(...)");
    }

    /** The next number of a series in its own transaction. */
    private static long next(Scope scope, String series, String period) {
        return scope.inTransaction(tx -> tx.numbering().next(series, period));
    }

    private static UUID tenant(String slug) {
        return sentinel.system(SERVICE).inTransaction(tx -> tx.table(TENANTS)
                .insert(new TenantsRecord().setSlug(slug + "-" + Long.toHexString(System.nanoTime())).setName(slug)).getId());
    }
}
