package dev.sentinel.core.schema;

import static dev.sentinel.core.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trails are append-only: the application role may insert and read but holds no UPDATE,
 * DELETE or TRUNCATE privilege, and the triggers refuse those statements for every role that has the
 * privilege, the owner and a superuser included, whether or not row-level security lets it see rows.
 * The one exception is the removal path of purges and retention: a DELETE by the owner in a
 * transaction that sets {@code sentinel.audit_removal}.
 */
class AuditLogAppendOnlyTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final List<String> CHANGES = List.of(
            "update %s set message = 'rewritten'", "delete from %s", "truncate %s");

    private static SchemaFixture.Globals globals;
    private static TenantRows a;

    @BeforeAll
    static void insertATenantWithAuditRows() throws SQLException {
        globals = SchemaFixture.insertGlobals(db.systemDataSource());
        a = SchemaFixture.insertTenant(db.systemDataSource(), "tenant-a", globals);
    }

    @Test
    void theAppRoleInsertsAndReadsAuditRows() throws SQLException {
        RawScope scope = RawScope.tenant(a.tenantId());
        long before = scope.count(db.appDataSource(), "select count(*) from sentinel.audit_log");
        Long seq = scope.commit(db.appDataSource(), c -> DSL.using(c, SQLDialect.POSTGRES).insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.TENANT_ID, a.tenantId())
                .set(AUDIT_LOG.ID, UUID.randomUUID())
                .set(AUDIT_LOG.ACTION, "leads:update")
                .returning(AUDIT_LOG.SEQ)
                .fetchSingle(AUDIT_LOG.SEQ));
        long after = scope.count(db.appDataSource(), "select count(*) from sentinel.audit_log");

        assertThat(before).isPositive();
        assertThat(after).isEqualTo(before + 1);
        assertThat(seq).describedAs("seq assigned by the database").isNotNull().isPositive();
    }

    @TestFactory
    Stream<DynamicTest> theAppRoleHasNoPrivilegeToChangeAuditRows() {
        return changes(db.appDataSource(), error -> assertThat(error.getMessage()).contains("permission denied"),
                Sql.INSUFFICIENT_PRIVILEGE);
    }

    @TestFactory
    Stream<DynamicTest> theOwnerIsRefusedByTheTrigger() {
        return changes(db.ownerDataSource(), AuditLogAppendOnlyTest::appendOnly, Sql.RESTRICT_VIOLATION);
    }

    @TestFactory
    Stream<DynamicTest> aSuperuserIsRefusedByTheTrigger() {
        return changes(db.adminDataSource(), AuditLogAppendOnlyTest::appendOnly, Sql.RESTRICT_VIOLATION);
    }

    @Test
    void theRefusalDoesNotDependOnVisibleRows() throws SQLException {
        long visible = RawScope.none().count(db.ownerDataSource(), "select count(*) from sentinel.audit_log");
        assertThat(visible).describedAs("the owner sees no rows without a scope (FORCE row-level security)").isZero();
        appendOnly(Sql.expectFailure(Sql.RESTRICT_VIOLATION,
                () -> RawScope.none().probe(db.ownerDataSource(), "delete from sentinel.audit_log")));
    }

    @Test
    void theOwnerDeletesAuditRowsOnlyInATransactionThatSaysWhy() throws SQLException {
        TenantRows purged = SchemaFixture.insertTenant(db.systemDataSource(), "tenant-purged", globals);
        RawScope scope = RawScope.tenant(purged.tenantId());
        long rows = scope.count(db.ownerDataSource(), "select count(*) from sentinel.audit_log");
        assertThat(rows).isPositive();

        appendOnly(Sql.expectFailure(Sql.RESTRICT_VIOLATION,
                () -> scope.probe(db.ownerDataSource(), "delete from sentinel.audit_log")));
        assertThat(Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> scope.commit(db.appDataSource(), c -> {
            c.createStatement().execute("set local sentinel.audit_removal = 'purge'");
            return c.createStatement().executeUpdate("delete from sentinel.audit_log");
        })).getMessage()).contains("permission denied");
        for (String change : List.of("update sentinel.audit_log set message = 'rewritten'", "truncate sentinel.audit_log")) {
            appendOnly(Sql.expectFailure(Sql.RESTRICT_VIOLATION, () -> scope.commit(db.ownerDataSource(), c -> {
                c.createStatement().execute("set local sentinel.audit_removal = 'purge'");
                return c.createStatement().executeUpdate(change);
            })));
        }
        appendOnly(Sql.expectFailure(Sql.RESTRICT_VIOLATION, () -> scope.commit(db.adminDataSource(), c -> {
            c.createStatement().execute("set local sentinel.audit_removal = 'purge'");
            return c.createStatement().executeUpdate("delete from sentinel.audit_log");
        })));
        assertThat(scope.count(db.ownerDataSource(), "select count(*) from sentinel.audit_log")).isEqualTo(rows);

        int deleted = scope.commit(db.ownerDataSource(), c -> {
            c.createStatement().execute("set local sentinel.audit_removal = 'purge'");
            return c.createStatement().executeUpdate("delete from sentinel.audit_log");
        });
        assertThat(deleted).isEqualTo(rows);
        assertThat(RawScope.tenant(a.tenantId()).count(db.ownerDataSource(), "select count(*) from sentinel.audit_log"))
                .describedAs("another tenant's trail").isPositive();
    }

    /** Every change statement on both trails, in a scope where the rows are visible. */
    private static Stream<DynamicTest> changes(DataSource dataSource, ErrorCheck check, String sqlState) {
        return Stream.of("audit_log", "system_audit_log").flatMap(table -> CHANGES.stream().map(change -> {
            String sql = change.formatted("sentinel." + table);
            RawScope scope = table.equals("audit_log") ? RawScope.tenant(a.tenantId()) : RawScope.system();
            // The application role's system scope is the system role's pool (a member of the application role).
            DataSource source = scope.systemScope() && dataSource == db.appDataSource() ? db.systemDataSource() : dataSource;
            return DynamicTest.dynamicTest(sql, () -> {
                long rows = scope.count(source, "select count(*) from sentinel." + table);
                assertThat(rows).describedAs("rows the statement would touch").isPositive();
                check.accept(Sql.expectFailure(sqlState, () -> scope.probe(source, sql)));
                assertThat(scope.count(source, "select count(*) from sentinel." + table))
                        .isEqualTo(rows);
            });
        }));
    }

    private static void appendOnly(SQLException error) {
        assertThat(error.getMessage()).contains("is append-only");
    }

    @FunctionalInterface
    private interface ErrorCheck {
        void accept(SQLException error);
    }
}
