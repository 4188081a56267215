package dev.sentinel.core.reliability;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.sentinel.core.Actor;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the application role ({@code sentinel_app}) cannot do, even with raw SQL through
 * {@code tx.dsl()}: change or drop tables, empty them, switch off triggers or row-level security,
 * rewrite the policies or Sentinel's functions, become another role, or reach the server's files
 * and programs. Each attempt fails with {@link PermissionDeniedException} (SQLSTATE 42501), and a
 * fingerprint of the catalog (tables, columns, constraints, triggers, policies, functions, roles,
 * row counts) read by a superuser is unchanged afterwards.
 *
 * <p>And what it can do, the threat model's documented limit: set the transaction's scope
 * settings itself. The start-up refusal of unsafe roles is {@code StartupTest}'s; rewriting audit
 * rows comes with the Audit issue.
 */
class PrivilegeTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor MALLORY = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-0000000ba11e"));
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger ALLOWED = new AtomicInteger();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID other;

    @BeforeAll
    static void start() {
        // One connection: a setting that a transaction leaves on it would meet the next transaction.
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(1).build();
        tenant = Tenants.create(sentinel);
        other = Tenants.create(sentinel);
        scope(tenant).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("mine")));
        scope(other).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("theirs")));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
        System.out.println("PrivilegeTest: " + REFUSED.get() + " statements refused to the application role with the catalog"
                + " unchanged after each; " + ALLOWED.get() + " changes of the scope settings allowed, the documented limit");
    }

    private static Scope scope(UUID tenantId) {
        return sentinel.tenant(tenantId, MALLORY);
    }

    static Stream<Arguments> forbidden() {
        String owner = db.roles().owner();
        String app = db.roles().app();
        return Stream.of(
                argumentSet("ALTER: add a column", "alter table widgets add column stolen text"),
                argumentSet("ALTER: drop NOT NULL from tenant_id", "alter table widgets alter column tenant_id drop not null"),
                argumentSet("ALTER: drop a check constraint", "alter table widgets drop constraint widgets_quantity_non_negative"),
                argumentSet("ALTER: take ownership", "alter table widgets owner to " + app),
                argumentSet("DROP TABLE", "drop table widgets"),
                argumentSet("DROP TABLE ... CASCADE", "drop table sentinel.tenants cascade"),
                argumentSet("TRUNCATE", "truncate widgets"),
                argumentSet("TRUNCATE ... CASCADE", "truncate sentinel.tenants cascade"),
                argumentSet("disable every trigger", "alter table widgets disable trigger all"),
                argumentSet("disable one trigger", "alter table widgets disable trigger widgets_touch_updated_at"),
                argumentSet("drop a trigger", "drop trigger widgets_touch_updated_at on widgets"),
                argumentSet("create a trigger", "create trigger sneaky before insert on widgets for each row execute function sentinel.touch_updated_at()"),
                argumentSet("disable row level security", "alter table widgets disable row level security"),
                argumentSet("no force row level security", "alter table widgets no force row level security"),
                argumentSet("disable row level security on tenants", "alter table sentinel.tenants disable row level security"),
                argumentSet("drop a policy", "drop policy tenant_scope on widgets"),
                argumentSet("create a permissive policy", "create policy everything on widgets using (true)"),
                argumentSet("widen a policy", "alter policy tenant_scope on widgets using (true)"),
                argumentSet("replace a scope function", "create or replace function sentinel.current_tenant_id() returns uuid"
                        + " language sql as $$ select null::uuid $$"),
                argumentSet("drop a scope function", "drop function sentinel.in_system_scope()"),
                argumentSet("create a table in schema sentinel", "create table sentinel.x ()"),
                argumentSet("create a table in schema public", "create table public.x ()"),
                argumentSet("create a schema", "create schema evil"),
                argumentSet("comment on a table", "comment on table widgets is 'owned'"),
                argumentSet("SET ROLE to the owner", "set role " + owner),
                argumentSet("SET SESSION AUTHORIZATION to the owner", "set session authorization " + owner),
                argumentSet("session_replication_role = replica (skips triggers)", "set session_replication_role = replica"),
                argumentSet("grant itself BYPASSRLS", "alter role " + app + " bypassrls"),
                argumentSet("grant itself SUPERUSER", "alter role " + app + " superuser"),
                argumentSet("join the owner role", "grant " + owner + " to " + app),
                argumentSet("COPY to a program", "copy widgets to program 'id'"),
                argumentSet("COPY from a server file", "copy widgets from '/etc/passwd'"),
                argumentSet("read a server file", "select pg_read_file('/etc/passwd')"));
    }

    @ParameterizedTest
    @MethodSource("forbidden")
    void theApplicationRoleIsRefused(String sql) {
        List<String> before = catalog();
        assertThatThrownBy(() -> scope(tenant).useTransaction(tx -> tx.dsl().execute(sql)))
                .describedAs("through Sentinel")
                .isExactlyInstanceOf(PermissionDeniedException.class)
                .rootCause().isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        assertRefusedOnARawConnection(sql);
        REFUSED.incrementAndGet();
        assertThat(catalog()).describedAs("tables, columns, triggers, policies, functions, roles and rows after: " + sql)
                .isEqualTo(before);
    }

    @Test
    void alterSystemIsRefusedToo() {
        // It cannot run inside a transaction, so Sentinel's transactions never reach the privilege check.
        List<String> before = catalog();
        assertRefusedOnARawConnection("alter system set row_security = off");
        REFUSED.incrementAndGet();
        assertThat(catalog()).isEqualTo(before);
    }

    /** The same statement on a plain connection as the application role, in auto-commit mode: 42501. */
    private static void assertRefusedOnARawConnection(String sql) {
        assertThatThrownBy(() -> {
            try (Connection app = db.appDataSource().getConnection(); Statement statement = app.createStatement()) {
                app.setAutoCommit(true);
                statement.execute(sql);
            }
        }).describedAs("on a raw connection, outside any transaction")
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }

    @Test
    void theApplicationRoleCanSetItsOwnScopeSettingsTheDocumentedLimit() {
        // Raw SQL can choose the tenant: RLS cannot tell this setter from Sentinel (docs/concepts.md, threat model).
        List<String> chosen = scope(tenant).inTransaction(tx -> {
            tx.dsl().execute("set local sentinel.tenant_id = '" + other + "'");
            return tx.dsl().select(WIDGETS.NAME).from(WIDGETS).fetch(WIDGETS.NAME);
        });
        assertThat(chosen).describedAs("the other tenant's rows, by setting its id").containsExactly("theirs");
        ALLOWED.incrementAndGet();

        long reset = scope(tenant).inTransaction(tx -> {
            tx.dsl().execute("reset sentinel.tenant_id");
            return (long) tx.dsl().fetchCount(WIDGETS);
        });
        assertThat(reset).describedAs("no tenant set: RLS fails closed").isZero();
        ALLOWED.incrementAndGet();

        assertThatThrownBy(() -> scope(tenant).useTransaction(tx -> {
            tx.dsl().execute("set local row_security = off");
            tx.dsl().fetchCount(WIDGETS);
        })).describedAs("row_security = off makes a filtered query fail; it never bypasses RLS")
                .isExactlyInstanceOf(TenantMismatchException.class)
                .hasMessageContaining("row-level security");
        ALLOWED.incrementAndGet();
    }

    /**
     * The forged system scope (attack log F01/F02, issue #23): until V25 the application role entered
     * the system scope by setting {@code sentinel.scope}, and saw and wrote every tenant's rows. Now
     * only the system role's pool has the {@code system_scope} policies.
     */
    @Test
    void theApplicationRoleCannotEnterTheSystemScopeBySettingIt() {
        long withTenant = scope(tenant).inTransaction(tx -> {
            tx.dsl().execute("set local sentinel.scope = 'system'");
            return (long) tx.dsl().fetchCount(WIDGETS);
        });
        assertThat(withTenant).describedAs("rows seen after setting the system scope in a tenant: its own only").isEqualTo(1);

        long withoutTenant = scope(tenant).inTransaction(tx -> {
            tx.dsl().execute("reset sentinel.tenant_id; set local sentinel.scope = 'system'");
            return (long) tx.dsl().fetchCount(WIDGETS) + tx.dsl().fetchCount(DSL.table("sentinel.tenants"));
        });
        assertThat(withoutTenant).describedAs("rows seen with the system scope set and no tenant").isZero();

        assertThatThrownBy(() -> scope(tenant).useTransaction(tx -> {
            tx.dsl().execute("reset sentinel.tenant_id; set local sentinel.scope = 'system'");
            tx.dsl().execute("insert into sentinel.tenants (id, slug, name) values (gen_random_uuid(), 'forged', 'Forged')");
        })).describedAs("a tenant created from the application role's forged system scope")
                .isInstanceOf(TenantMismatchException.class).hasMessageContaining("row-level security");
    }

    @Test
    void sessionLevelSettingsLeftByRawSqlNeverReachTheNextTransaction() {
        // Session level (no LOCAL), so they outlive the transaction on the pool's one connection.
        scope(tenant).useTransaction(tx -> tx.dsl().execute("set sentinel.tenant_id = '" + other + "'; set sentinel.scope = 'system';"
                + " set sentinel.actor_id = 'service:forged'; set sentinel.request_id = 'forged'"));
        ALLOWED.incrementAndGet();

        var next = scope(tenant).inTransaction(tx -> List.of(
                tx.dsl().fetchValue(DSL.field("current_setting('sentinel.tenant_id')", String.class)),
                tx.dsl().fetchValue(DSL.field("current_setting('sentinel.scope')", String.class)),
                tx.dsl().fetchValue(DSL.field("current_setting('sentinel.actor_id')", String.class)),
                tx.dsl().select(WIDGETS.NAME).from(WIDGETS).fetch(WIDGETS.NAME).toString()));
        assertThat(next).containsExactly(tenant.toString(), "tenant", MALLORY.settingValue(), "[mine]");
    }

    /** The catalog as a superuser sees it, line by line. */
    private static List<String> catalog() {
        String app = db.roles().app();
        String owner = db.roles().owner();
        String sql = "select line from ("
                + " select format('relation %s kind=%s owner=%s rls=%s force=%s acl=%s', c.oid::regclass, c.relkind,"
                + "   pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity, c.relacl) as line"
                + "   from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'sentinel')"
                + " union all select format('column %s.%s %s not null=%s', a.attrelid::regclass, a.attname,"
                + "   format_type(a.atttypid, a.atttypmod), a.attnotnull)"
                + "   from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
                + "   where n.nspname in ('public', 'sentinel') and a.attnum > 0 and not a.attisdropped"
                + " union all select format('constraint %s on %s: %s', conname, conrelid::regclass, pg_get_constraintdef(oid))"
                + "   from pg_constraint where connamespace in (select oid from pg_namespace where nspname in ('public', 'sentinel'))"
                + " union all select format('trigger %s on %s enabled=%s', tgname, tgrelid::regclass, tgenabled)"
                + "   from pg_trigger where not tgisinternal"
                + " union all select format('policy %s on %s using %s check %s', polname, polrelid::regclass,"
                + "   pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)) from pg_policy"
                + " union all select format('function %s %s', p.oid::regprocedure, md5(pg_get_functiondef(p.oid)))"
                + "   from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'sentinel' and p.prokind = 'f'"
                + " union all select format('schema %s owner=%s acl=%s', nspname, pg_get_userbyid(nspowner), nspacl)"
                + "   from pg_namespace where nspname not like 'pg\\_%'"
                + " union all select format('role %s super=%s bypassrls=%s createrole=%s createdb=%s member of owner=%s',"
                + "   rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, pg_has_role(rolname, '" + owner + "', 'member'))"
                + "   from pg_roles where rolname in ('" + app + "', '" + owner + "')"
                + " union all select format('rows widgets=%s tenants=%s', (select count(*) from widgets),"
                + "   (select count(*) from sentinel.tenants))"
                + ") catalog order by line";
        List<String> lines = new ArrayList<>();
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return lines;
    }
}
