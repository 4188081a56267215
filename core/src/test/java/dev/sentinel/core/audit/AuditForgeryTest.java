package dev.sentinel.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.ChainVerification.Kind;
import dev.sentinel.core.db.enums.ActorType;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 23, audit forgery: the application role, with a tenant honestly set and raw SQL, tries to
 * write an audit row whose own columns lie (another user as the actor, a chosen {@code seq}, a
 * {@code tx} in the future that the sealer would never reach, a backdated {@code occurred_at}), in
 * the tenant's trail and in the system trail. Each is refused; an honest raw custom entry gets its
 * actor, {@code tx} and time from the database; and a row written with a future {@code tx} by a role
 * that bypasses the privileges (the owner) is reported by {@code verify} instead of passing as intact.
 */
class AuditForgeryTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().build();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final UUID GINA = UUID.fromString("0190f5d2-0000-7000-8000-00000000616e");
    private static final UUID MALLORY = UUID.fromString("0190f5d2-0000-7000-8000-0000000000ba");
    private static Sentinel sentinel;
    private static UUID tenant;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY).build();
        tenant = Tenants.create(sentinel);
    }

    /** The attacks on the tenant's trail, as the statement the attacker sends. */
    static Stream<String> tenantForgeries() {
        String columns = "insert into sentinel.audit_log (tenant_id, id, action, message";
        String values = ") values ('%s', gen_random_uuid(), 'invoice.void', 'Gina voided the invoice'";
        return Stream.of(
                columns + ", actor_type, actor_id" + values + ", 'user', '" + GINA + "')",
                columns + ", seq" + ") overriding system value" + values.substring(1) + ", 1)",
                columns + ", tx" + values + ", (pg_current_xact_id()::text::bigint + 1000000)::text::xid8)",
                columns + ", occurred_at" + values + ", now() - interval '1 year')",
                columns + ", actor_label" + values + ", 'Gina')");
    }

    @ParameterizedTest
    @MethodSource("tenantForgeries")
    void aForgedTenantAuditRowIsRefused(String attack) {
        assertThatThrownBy(() -> asMallory(false, attack.formatted(tenant)))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).describedAs("insufficient privilege").isEqualTo("42501"));
    }

    static Stream<String> systemForgeries() {
        String columns = "insert into sentinel.system_audit_log (id, action, message";
        String values = ") values (gen_random_uuid(), 'users.delete', 'Gina deleted a user'";
        return Stream.of(
                columns + ", actor_type, actor_id" + values + ", 'user', '" + GINA + "')",
                columns + ", seq" + ") overriding system value" + values.substring(1) + ", 1)",
                columns + ", tx" + values + ", (pg_current_xact_id()::text::bigint + 1000000)::text::xid8)",
                columns + ", occurred_at" + values + ", now() - interval '1 year')");
    }

    @ParameterizedTest
    @MethodSource("systemForgeries")
    void aForgedSystemAuditRowIsRefused(String attack) {
        assertThatThrownBy(() -> asMallory(true, attack))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }

    @Test
    void anHonestRawEntryGetsItsOwnColumnsFromTheDatabase() throws SQLException {
        try (Connection connection = mallory(false); Statement statement = connection.createStatement()) {
            statement.execute("insert into sentinel.audit_log (tenant_id, id, action, message) values ('" + tenant
                    + "', gen_random_uuid(), 'report.export', 'exported')");
            try (ResultSet row = statement.executeQuery("select actor_type, actor_id, actor_label, tx = pg_current_xact_id(),"
                    + " occurred_at = now() from sentinel.audit_log where tenant_id = '" + tenant + "' and action = 'report.export'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("user");
                assertThat(row.getObject(2, UUID.class)).describedAs("the actor of the transaction's settings").isEqualTo(MALLORY);
                assertThat(row.getString(3)).isNull();
                assertThat(row.getBoolean(4)).describedAs("tx is the writing transaction").isTrue();
                assertThat(row.getBoolean(5)).describedAs("occurred_at is the transaction's time").isTrue();
            }
            connection.rollback();
        }
    }

    @Test
    void theJavaApiStillRecordsCustomEntriesWithTheScopesActor() {
        AuditEntry entry = sentinel.tenant(tenant, Actor.service("exporter"))
                .inTransaction(tx -> tx.audit().record(AuditEvent.of("report.export").message("csv")));
        assertThat(entry.actorType()).isEqualTo(ActorType.SERVICE);
        assertThat(entry.actorLabel()).isEqualTo("exporter");
        assertThat(entry.actorId()).isNull();
        AuditEntry byUser = sentinel.tenant(tenant, Actor.user(MALLORY))
                .inTransaction(tx -> tx.audit().record(AuditEvent.of("report.export")));
        assertThat(byUser.actorType()).isEqualTo(ActorType.USER);
        assertThat(byUser.actorId()).isEqualTo(MALLORY);
    }

    @Test
    void verifyReportsARowThatCouldNeverBeSealed() throws SQLException {
        UUID victim = Tenants.create(sentinel);
        assertThat(sentinel.auditChain().seal(victim)).isPositive();
        UUID forged = UUID.randomUUID();
        // Only a role that bypasses the application role's privileges can still write such a row.
        try (Connection owner = db.ownerDataSource().getConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("set local sentinel.scope = 'system'");
            statement.execute("insert into sentinel.audit_log (tenant_id, id, tx, actor_type, action) values ('" + victim + "', '"
                    + forged + "', (pg_current_xact_id()::text::bigint + 1000000)::text::xid8, 'user', 'invoice.void')");
            owner.commit();
        }
        assertThat(sentinel.auditChain().seal(victim)).describedAs("the sealer never reaches it").isZero();
        ChainVerification verification = sentinel.auditChain().verify(victim);
        assertThat(verification.intact()).isFalse();
        assertThat(verification.problem().kind()).isEqualTo(Kind.UNSEALABLE);
        assertThat(verification.problem().auditId()).isEqualTo(forged);
    }

    /** A connection of the application role in the tenant's (or the system) scope, acting as Mallory. */
    private static Connection mallory(boolean system) throws SQLException {
        Connection connection = db.appDataSource().getConnection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (system) {
                statement.execute("set local sentinel.scope = 'system'");
            } else {
                statement.execute("set local sentinel.scope = 'tenant'");
                statement.execute("set local sentinel.tenant_id = '" + tenant + "'");
            }
            statement.execute("set local sentinel.actor_id = '" + MALLORY + "'");
        }
        return connection;
    }

    private static void asMallory(boolean system, String sql) throws SQLException {
        try (Connection connection = mallory(system); Statement statement = connection.createStatement()) {
            try {
                statement.execute(sql);
            } finally {
                connection.rollback();
            }
        }
    }
}
