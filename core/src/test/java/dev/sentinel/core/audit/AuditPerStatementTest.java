package dev.sentinel.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inserts are audited once per statement, by the trigger {@code sentinel_audit_insert} over the
 * statement's transition table (kernel V24); updates and deletes still row by row. An insert's audit
 * rows, one row or many, in a tenant's table or a global one, in a tenant's or the system scope, are
 * exactly those the row trigger writes: each test writes the same rows into a twin table that keeps
 * the row trigger, with the same arguments, and compares the two trails. A failed insert writes no
 * audit row; a partitioned table keeps the row trigger, so an insert straight into a partition is
 * audited too. On a Citus coordinator every audited table keeps the row trigger (Citus fires no
 * statement trigger on its tables), so there the twins compare the row trigger with itself.
 */
class AuditPerStatementTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().build();

    private static final String AUDIT_COLUMNS = "action, entity_type, entity_id, diff, meta, request_id, actor_type, actor_id,"
            + " actor_label";
    /** The audit columns, the diff as the trail reads it (personal values put back, V32). */
    private static final String REVEALED_COLUMNS = AUDIT_COLUMNS.replace("diff,",
            "sentinel.audit_reveal(tenant_id, entity_type, entity_id, id, diff),");
    private static UUID tenant;

    @BeforeAll
    static void start() throws SQLException {
        tenant = Tenants.create(Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build());
        owner("""
                create table public.stmt_notes (
                    tenant_id uuid not null references sentinel.tenants (id),
                    id        uuid not null,
                    title     text not null,
                    token     text,
                    quantity  integer,
                    primary key (tenant_id, id));
                comment on column public.stmt_notes.token is 'sentinel:secret';
                select sentinel.enable_tenant_rls('public.stmt_notes');
                select sentinel.audit_table('public.stmt_notes');
                create table public.row_notes (like public.stmt_notes including all);
                select sentinel.enable_tenant_rls('public.row_notes');
                create trigger sentinel_audit after insert or update or delete on public.row_notes
                    for each row execute function sentinel.audit_row('public.stmt_notes', 'tenant_id', 'token');
                create table public.stmt_tags (id uuid primary key, label text not null, token text);
                comment on column public.stmt_tags.token is 'sentinel:secret';
                select sentinel.audit_table('public.stmt_tags');
                create table public.row_tags (like public.stmt_tags including all);
                create trigger sentinel_audit after insert or update or delete on public.row_tags
                    for each row execute function sentinel.audit_row('public.stmt_tags', '', 'token');
                create table public.stmt_people (
                    tenant_id uuid not null references sentinel.tenants (id),
                    id        uuid not null,
                    name      text not null,
                    email     text,
                    token     text,
                    primary key (tenant_id, id));
                comment on column public.stmt_people.name is 'sentinel:personal';
                comment on column public.stmt_people.email is 'The address. sentinel:personal';
                comment on column public.stmt_people.token is 'sentinel:secret';
                select sentinel.enable_tenant_rls('public.stmt_people');
                select sentinel.audit_table('public.stmt_people');
                create table public.row_people (like public.stmt_people including all);
                select sentinel.enable_tenant_rls('public.row_people');
                create trigger sentinel_audit after insert or update or delete on public.row_people
                    for each row execute function sentinel.audit_personal_row('public.stmt_people', 'tenant_id', 'token', '',
                        'id', 'name', 'email');
                create table public.part_notes (tenant_id uuid not null, id uuid not null, title text not null,
                    primary key (tenant_id, id)) partition by list (tenant_id);
                create table public.part_notes_rest partition of public.part_notes default;
                select sentinel.audit_table('public.part_notes');
                """);
    }

    @Test
    void aMultiRowInsertIsAuditedAsTheRowTriggerAuditsIt() throws SQLException {
        String values = " (tenant_id, id, title, token, quantity) values ('%1$s', '%2$s', 'one', 'secret', 1),"
                + " ('%1$s', '%3$s', 'two', null, null), ('%1$s', '%4$s', 'three', 'secret', 3)";
        String rows = values.formatted(tenant, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<String> trail = inScope(false, "insert into public.stmt_notes" + rows, "insert into public.row_notes" + rows);

        assertThat(trail).hasSize(6);
        assertThat(trail.subList(0, 3)).describedAs("the statement trigger's audit rows, then the row trigger's")
                .isEqualTo(trail.subList(3, 6))
                .allMatch(line -> line.startsWith("insert|public.stmt_notes|"))
                .anyMatch(line -> line.contains("\"token\": {\"new\": \"[redacted]\"}"))
                .anyMatch(line -> line.contains("\"title\": {\"new\": \"two\"}") && !line.contains("quantity"));
    }

    @Test
    void personalValuesAreCommittedAlikeByTheStatementAndTheRowTrigger() throws SQLException {
        String values = " (tenant_id, id, name, email, token) values ('%1$s', '%2$s', 'Ann Example', 'ann@example.org', 'secret'),"
                + " ('%1$s', '%3$s', 'Ben Example', null, null)";
        UUID ann = UUID.randomUUID();
        String rows = values.formatted(tenant, ann, UUID.randomUUID());
        String change = " set email = 'ann@example.net', name = name where id = '" + ann + "'";
        List<String> trail = reading(REVEALED_COLUMNS, false, "insert into public.stmt_people" + rows,
                "insert into public.row_people" + rows, "update public.stmt_people" + change, "update public.row_people" + change);

        assertThat(trail).hasSize(6);
        assertThat(List.of(trail.get(0), trail.get(1), trail.get(4))).describedAs("the statement trigger's audit rows, read back")
                .isEqualTo(List.of(trail.get(2), trail.get(3), trail.get(5)));
        assertThat(trail.get(0)).contains("\"name\": {\"new\": \"Ann Example\"}").contains("\"token\": {\"new\": \"[redacted]\"}");
        assertThat(trail.get(4)).contains("\"email\": {\"new\": \"ann@example.net\", \"old\": \"ann@example.org\"}");
        List<String> stored = reading(AUDIT_COLUMNS, false, "insert into public.stmt_people" + values.formatted(tenant,
                UUID.randomUUID(), UUID.randomUUID()));
        assertThat(stored).describedAs("as stored: commitments, never the values").hasSize(2)
                .allMatch(line -> line.matches(".*\"name\": \\{\"new\": \\{\"sentinel:personal\": \"[0-9a-f]{64}\"}}.*"))
                .noneMatch(line -> line.contains("Example"));
        if (ClusterCheck.isCitus(db.adminDataSource())) {
            // Citus fires only row triggers: the one row trigger commits the values alike (the trail above).
            assertThat(triggers("public.stmt_people"))
                    .containsExactly("sentinel_audit: AFTER INSERT OR DELETE OR UPDATE ON public.stmt_people FOR EACH ROW");
        } else {
            assertThat(triggers("public.stmt_people")).containsExactly(
                    "sentinel_audit: AFTER DELETE OR UPDATE ON public.stmt_people FOR EACH ROW",
                    "sentinel_audit_insert: AFTER INSERT ON public.stmt_people REFERENCING NEW TABLE AS sentinel_inserted"
                            + " FOR EACH STATEMENT");
        }
    }

    @Test
    void aGlobalRowGoesToTheScopesTrailAsBefore() throws SQLException {
        String values = " (id, label, token) values ('%s', 'a', 'secret'), ('%s', 'b', null)";
        String tenantRows = values.formatted(UUID.randomUUID(), UUID.randomUUID());
        List<String> tenantTrail = inScope(false, "insert into public.stmt_tags" + tenantRows, "insert into public.row_tags" + tenantRows);
        assertThat(tenantTrail).describedAs("in a tenant's scope: the tenant's trail").hasSize(4)
                .allMatch(line -> line.contains("{\"scope\": \"tenant\"}"));
        assertThat(tenantTrail.subList(0, 2)).isEqualTo(tenantTrail.subList(2, 4));

        String systemRows = values.formatted(UUID.randomUUID(), UUID.randomUUID());
        List<String> systemTrail = inScope(true, "insert into public.stmt_tags" + systemRows, "insert into public.row_tags" + systemRows);
        assertThat(systemTrail).describedAs("in the system scope: the system trail").hasSize(4)
                .allMatch(line -> line.contains("{\"scope\": \"system\"}"));
        assertThat(systemTrail.subList(0, 2)).isEqualTo(systemTrail.subList(2, 4));
    }

    @Test
    void aFailedMultiRowInsertWritesNoAuditRow() throws SQLException {
        UUID id = UUID.randomUUID();
        long before = auditRows();
        assertThatThrownBy(() -> inScope(false, "insert into public.stmt_notes (tenant_id, id, title) values ('" + tenant
                + "', '" + id + "', 'one'), ('" + tenant + "', '" + id + "', 'the same id')"))
                .isInstanceOf(SQLException.class);
        assertThat(auditRows()).isEqualTo(before);
    }

    @Test
    void tablesGetTheStatementTriggerAndPartitionedTablesKeepTheRowTrigger() throws SQLException {
        if (ClusterCheck.isCitus(db.adminDataSource())) {
            // Citus fires only row triggers on its tables, so there audit_table attaches the one row trigger for
            // all three events (V24), a reference table's firing on the coordinator's placement only (V18).
            assertThat(triggers("public.stmt_notes"))
                    .containsExactly("sentinel_audit: AFTER INSERT OR DELETE OR UPDATE ON public.stmt_notes FOR EACH ROW");
            assertThat(triggers("sentinel.tenants")).singleElement().asString()
                    .startsWith("sentinel_audit: AFTER INSERT OR DELETE OR UPDATE ON sentinel.tenants FOR EACH ROW"
                            + " WHEN (sentinel.audits_here(");
        } else {
            assertThat(triggers("public.stmt_notes")).containsExactly(
                    "sentinel_audit: AFTER DELETE OR UPDATE ON public.stmt_notes FOR EACH ROW",
                    "sentinel_audit_insert: AFTER INSERT ON public.stmt_notes REFERENCING NEW TABLE AS sentinel_inserted FOR EACH STATEMENT");
            assertThat(triggers("sentinel.tenants")).describedAs("a kernel table audited before V24, re-attached by it")
                    .containsExactly("sentinel_audit: AFTER DELETE OR UPDATE ON sentinel.tenants FOR EACH ROW",
                            "sentinel_audit_insert: AFTER INSERT ON sentinel.tenants REFERENCING NEW TABLE AS sentinel_inserted"
                                    + " FOR EACH STATEMENT");
        }
        assertThat(triggers("public.part_notes"))
                .containsExactly("sentinel_audit: AFTER INSERT OR DELETE OR UPDATE ON public.part_notes FOR EACH ROW");

        List<String> trail = inScope(false, "insert into public.part_notes_rest (tenant_id, id, title) values ('" + tenant
                + "', gen_random_uuid(), 'straight into the partition')");
        assertThat(trail).singleElement().asString().startsWith("insert|public.part_notes|");
    }

    /** Runs statements as the application role in a tenant's or the system scope; the audit rows they wrote. */
    private static List<String> inScope(boolean system, String... statements) throws SQLException {
        return reading(AUDIT_COLUMNS, system, statements);
    }

    /** The same, with the audit rows' columns to read. */
    private static List<String> reading(String columns, boolean system, String... statements) throws SQLException {
        try (Connection connection = (system ? db.systemDataSource() : db.appDataSource()).getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("set local sentinel.scope = '" + (system ? "system" : "tenant") + "'");
                statement.execute("set local sentinel.tenant_id = '" + (system ? "" : tenant) + "'");
                statement.execute("set local sentinel.actor_id = 'service:statement-test'");
                statement.execute("set local sentinel.request_id = 'per-statement'");
                for (String sql : statements) {
                    statement.execute(sql);
                }
                String trail = system ? "sentinel.system_audit_log" : "sentinel.audit_log";
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("select concat_ws('|', " + columns + ") from " + trail
                        + " where tx = pg_current_xact_id() order by seq")) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                connection.commit();
                return lines;
            } finally {
                connection.rollback();
            }
        }
    }

    private static List<String> triggers(String table) throws SQLException {
        List<String> triggers = new ArrayList<>();
        try (Connection connection = db.ownerDataSource().getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select tgname || ': ' || substring(pg_get_triggerdef(oid) from"
                        + " '(AFTER .*) EXECUTE') from pg_trigger where tgrelid = '" + table + "'::regclass"
                        + " and tgname like 'sentinel_audit%' order by tgname")) {
            while (rows.next()) {
                triggers.add(rows.getString(1));
            }
        }
        return triggers;
    }

    private static long auditRows() throws SQLException {
        try (Connection connection = db.ownerDataSource().getConnection(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("select count(*) from sentinel.audit_log")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static void owner(String sql) throws SQLException {
        try (Connection connection = db.ownerDataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
