package dev.sentinel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Sentinel.Builder#build()}: configuration validation, migrate-on-start, the runtime role check. */
class StartupTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final String SUFFIX = Long.toHexString(System.nanoTime());
    private static final String SUPERUSER = "test_super_" + SUFFIX;
    private static final String BYPASS = "test_bypass_" + SUFFIX;
    private static final String MEMBER = "test_member_" + SUFFIX;

    @BeforeAll
    static void badRoles() throws SQLException {
        admin("create role " + SUPERUSER + " login superuser password 'pw'",
                "create role " + BYPASS + " login bypassrls password 'pw'",
                "create role " + MEMBER + " login password 'pw' in role " + db.roles().owner());
    }

    @AfterAll
    static void dropRoles() throws SQLException {
        admin("drop role " + SUPERUSER, "drop role " + BYPASS, "drop role " + MEMBER);
    }

    private static void admin(String... statements) throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Sentinel.Builder as(String role, String password) {
        return Sentinel.builder().jdbcUrl(db.jdbcUrl(), role, password).systemDataSource(db.systemDataSource()).maximumPoolSize(1);
    }

    @Test
    void theApplicationRoleStarts() {
        try (Sentinel sentinel = as(db.roles().app(), db.rolePassword()).build()) {
            long tenants = sentinel.system(Actor.service("probe")).inTransaction(tx -> tx.dsl().fetchCount(dev.sentinel.core.db.Tables.TENANTS));
            assertThat(tenants).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aSuperuserIsRefused() {
        assertThatThrownBy(() -> as(SUPERUSER, "pw").build())
                .isInstanceOf(UnsafeRoleException.class)
                .hasMessageContaining(SUPERUSER + " is a superuser")
                .hasMessageContaining("allowUnsafeRuntimeRole");
    }

    @Test
    void aBypassRlsRoleIsRefused() {
        assertThatThrownBy(() -> as(BYPASS, "pw").build())
                .isInstanceOf(UnsafeRoleException.class)
                .hasMessageContaining("has BYPASSRLS");
    }

    @Test
    void theOwnerIsRefused() {
        assertThatThrownBy(() -> as(db.roles().owner(), db.rolePassword()).build())
                .isInstanceOf(UnsafeRoleException.class)
                .hasMessageContaining("owns (or is a member of the owner of) schema sentinel");
    }

    @Test
    void aMemberOfTheOwnerRoleIsRefused() {
        assertThatThrownBy(() -> as(MEMBER, "pw").build())
                .isInstanceOf(UnsafeRoleException.class)
                .hasMessageContaining("is a member of the owner role " + db.roles().owner());
    }

    @Test
    void theTenantsPoolAsTheSystemRoleIsRefused() {
        assertThatThrownBy(() -> as(db.roles().system(), db.rolePassword()).build())
                .describedAs("the tenants' pool could enter the system scope")
                .isInstanceOf(UnsafeRoleException.class)
                .hasMessageContaining("the system role " + db.roles().system() + ", so it may enter the system scope");
    }

    @Test
    void aSystemPoolThatIsNotTheSystemRoleIsRefused() {
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.appDataSource()).build())
                .isInstanceOf(UnsafeRoleException.class)
                .hasMessageContaining("Connect systemDataSource as the system role (" + db.roles().system() + ")");
    }

    @Test
    void withoutTheSystemPoolTenantScopesWorkAndTheSystemScopeSaysWhatToConfigure() {
        try (Sentinel sentinel = Sentinel.builder().dataSource(db.appDataSource()).build()) {
            long widgets = sentinel.tenant(UUID.randomUUID(), Actor.service("probe")).inTransaction(tx -> (long) tx.dsl()
                    .fetchCount(dev.sentinel.core.db.Tables.TENANTS));
            assertThat(widgets).isZero();
            assertThatThrownBy(() -> sentinel.system(Actor.service("probe")).useTransaction(tx -> tx.dsl()
                    .fetchCount(dev.sentinel.core.db.Tables.TENANTS)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("call systemDataSource(systemDataSource)")
                    .hasMessageContaining("Nothing was written");
        }
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource())
                .auditKey(dev.sentinel.core.audit.AuditKey.of("k", "an audit key of thirty-two bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8))).sealAuditEvery(java.time.Duration.ofMinutes(1)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sealAuditEvery seals in the system scope");
    }

    @Test
    void theRefusalCanBeTurnedIntoAWarning() {
        try (Sentinel sentinel = as(BYPASS, "pw").allowUnsafeRuntimeRole(true).build()) {
            assertThat(sentinel.clock()).isNotNull();
        }
    }

    @Test
    void configurationErrorsNameTheSettingAndTheFix() {
        assertThatThrownBy(() -> Sentinel.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("dataSource(appDataSource)");
        assertThatThrownBy(() -> Sentinel.builder().jdbcUrl("jdbc:mysql://x/y", "u", null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).serviceMigrations("classpath:db/test-service").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("migrateWith");
        Sentinel.Builder builder = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource());
        builder.build().close();
        assertThatThrownBy(() -> builder.clock(java.time.Clock.systemUTC()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sealed");
    }

    @Test
    void migrateOnStartAppliesPendingMigrationsAndFailsFast() throws SQLException {
        try (Sentinel sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).migrateWith(db.ownerDataSource())
                .serviceMigrations("classpath:db/test-service").build()) {
            long widgets = sentinel.tenant(UUID.randomUUID(), Actor.service("probe"))
                    .inTransaction(tx -> tx.dsl().fetchCount(dev.sentinel.core.testservice.db.Tables.WIDGETS));
            assertThat(widgets).describedAs("the service's table now exists").isZero();
        }
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).migrateWith(db.ownerDataSource())
                .serviceMigrations("classpath:db/broken-migration").build())
                .isInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("did not start")
                .hasCauseInstanceOf(org.flywaydb.core.api.FlywayException.class);
    }
}
