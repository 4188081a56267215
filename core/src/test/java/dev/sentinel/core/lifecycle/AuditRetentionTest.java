package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditChainBrokenException;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.audit.AuditCheckpoint.Purpose;
import dev.sentinel.core.audit.AuditRetention;
import dev.sentinel.core.audit.AuditRetention.RetentionResult;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.audit.ChainVerification.Kind;
import dev.sentinel.core.export.ArchiveVerification;
import dev.sentinel.core.export.ArchiveVerifier;
import dev.sentinel.core.internal.ChainSealer;
import dev.sentinel.core.support.AuditTamper;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit retention: old rows removed behind a signed retention checkpoint, verification (in the
 * database and from an archive) starting there, tampering after it still detected, a forged
 * checkpoint reported, a half-done run finished by the next, and only the owner role able to run it.
 */
class AuditRetentionTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor DAVE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000da7e"));
    private static final Actor OPERATOR = Actor.service("retention-job");
    private static Sentinel sentinel;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .auditKey(TenantExportTest.KEY).auditSigningKey(TenantExportTest.SIGNING).tenantTables(WIDGETS).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    /** A tenant with its creation row and six widget inserts, each its own transaction, all sealed: positions 1 to 7. */
    private static UUID tenantWithHistory() {
        UUID tenant = Tenants.create(sentinel);
        for (int i = 0; i < 6; i++) {
            int n = i;
            sentinel.tenant(tenant, DAVE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("w" + n)));
        }
        sentinel.auditChain().seal(tenant);
        return tenant;
    }

    private static AuditRetention retention() {
        return sentinel.auditRetention(db.ownerDataSource(), OPERATOR);
    }

    @Test
    void oldRowsAreRemovedBehindASignedCheckpointAndVerificationStartsThere() throws Exception {
        UUID tenant = tenantWithHistory();
        Instant cutoff = occurredAt(tenant, 5);

        RetentionResult result = retention().removeBefore(tenant, cutoff);

        assertThat(result.rowsRemoved()).isEqualTo(4);
        assertThat(result.checkpoint().purpose()).isEqualTo(Purpose.RETENTION);
        assertThat(result.checkpoint().position()).isEqualTo(4);
        assertThat(result.checkpoint().verifiedBy(List.of(TenantExportTest.SIGNING.publicKey()))).isTrue();
        assertThat(count("select count(*) from sentinel.audit_log where tenant_id = ?", tenant)).isEqualTo(3);
        assertThat(count("select min(position) from sentinel.audit_chain where tenant_id = ?", tenant)).isEqualTo(5);
        assertThat(count("select count(*) from sentinel.audit_log where tenant_id = ? and occurred_at < ?", tenant, cutoff)).isZero();
        ChainVerification verification = sentinel.auditChain().verify(tenant);
        assertThat(verification.problem()).isNull();
        assertThat(verification.verifiedLinks()).isEqualTo(3);

        // Recorded in the system trail: who, when, which tenant, how many rows, which checkpoint.
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement select = admin.prepareStatement("select actor_type, actor_label, meta ->> 'rows_removed',"
                        + " meta ->> 'checkpoint_position', occurred_at from sentinel.system_audit_log"
                        + " where action = 'audit.retention' and entity_id = ?")) {
            select.setObject(1, tenant);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("service");
                assertThat(row.getString(2)).isEqualTo("retention-job");
                assertThat(row.getString(3)).isEqualTo("4");
                assertThat(row.getString(4)).isEqualTo("4");
                assertThat(row.getObject(5, OffsetDateTime.class)).isNotNull();
                assertThat(row.next()).isFalse();
            }
        }

        RetentionResult again = retention().removeBefore(tenant, cutoff);
        assertThat(again.rowsRemoved()).isZero();
        assertThat(again.checkpoint().position()).isEqualTo(4);

        // An archive taken now starts after the retention checkpoint and verifies from it.
        Path archive = sentinel.exportTenant(tenant, temp.resolve("after-retention-" + tenant)).directory();
        ArchiveVerification offline = ArchiveVerifier.verify(archive, List.of(TenantExportTest.SIGNING.publicKey()));
        assertThat(offline.problems()).isEmpty();
        assertThat(offline.auditRowsVerified()).isEqualTo(3);
    }

    @Test
    void afterEveryRowWasRemovedTheChainGoesOnFromTheCheckpoint() throws Exception {
        UUID tenant = tenantWithHistory();
        RetentionResult result = retention().removeBefore(tenant, Instant.now());
        assertThat(result.rowsRemoved()).isEqualTo(7);
        assertThat(count("select count(*) from sentinel.audit_chain where tenant_id = ?", tenant)).isZero();
        assertThat(sentinel.auditChain().anchor(tenant).position()).isEqualTo(7);

        sentinel.tenant(tenant, DAVE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("after")));
        assertThat(sentinel.auditChain().seal(tenant)).isEqualTo(1);
        assertThat(count("select min(position) from sentinel.audit_chain where tenant_id = ?", tenant)).isEqualTo(8);
        assertThat(sentinel.auditChain().verify(tenant).problem()).isNull();
        asAttacker("update sentinel.audit_log set message = 'edited' where id = '" + auditIdAt(tenant, 8) + "'");
        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.EDITED);
            assertThat(problem.position()).isEqualTo(8);
        });
    }

    @Test
    void tamperingAfterTheCheckpointIsStillDetected() throws Exception {
        UUID tenant = tenantWithHistory();
        retention().removeBefore(tenant, occurredAt(tenant, 5));
        UUID sixth = auditIdAt(tenant, 6);
        asAttacker("update sentinel.audit_log set message = 'nothing to see' where id = '" + sixth + "'");
        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.EDITED);
            assertThat(problem.position()).isEqualTo(6);
        });

        UUID other = tenantWithHistory();
        retention().removeBefore(other, occurredAt(other, 5));
        UUID fifth = auditIdAt(other, 5);
        asAttacker("delete from sentinel.audit_log where id = '" + fifth + "'",
                "delete from sentinel.audit_chain where audit_id = '" + fifth + "'");
        assertThat(sentinel.auditChain().verify(other).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.DELETED);
            assertThat(problem.position()).isEqualTo(5);
        });
    }

    @Test
    void oldRowsDeletedBehindAForgedCheckpointAreReported() throws Exception {
        UUID tenant = tenantWithHistory();
        // The attacker removes rows 1 to 3 and signs a retention checkpoint at 3 with a key of their own.
        AuditSigningKey forger = AuditSigningKey.generate(TenantExportTest.SIGNING.id());
        String hashAt3 = linkHashAt(tenant, 3);
        AuditCheckpoint unsigned = new AuditCheckpoint(tenant, Purpose.RETENTION, 3, hashAt3, AuditCheckpoint.GENESIS,
                forger.id(), Instant.parse("2026-01-01T00:00:00Z"), "");
        asAttacker("delete from sentinel.audit_log where tenant_id = '" + tenant + "' and id in (select audit_id from"
                        + " sentinel.audit_chain where tenant_id = '" + tenant + "' and position <= 3)",
                "delete from sentinel.audit_chain where tenant_id = '" + tenant + "' and position <= 3",
                "insert into sentinel.audit_checkpoint (tenant_id, id, purpose, position, chain_hash, digest, key_id, signed_at,"
                        + " signature) values ('" + tenant + "', gen_random_uuid(), 'retention', 3, '" + hashAt3 + "', '"
                        + AuditCheckpoint.GENESIS + "', '" + forger.id() + "', '2026-01-01T00:00:00Z', '"
                        + forger.sign(unsigned.signedText()) + "')");

        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.CHECKPOINT);
            assertThat(problem.position()).isEqualTo(3);
        });
        assertThatThrownBy(() -> retention().removeBefore(tenant, occurredAt(tenant, 6)))
                .isInstanceOf(AuditChainBrokenException.class).hasMessageContaining("does not verify");
    }

    @Test
    void aCheckpointShowsACutOfTheNewestRows() throws Exception {
        UUID tenant = tenantWithHistory();
        sentinel.auditChain().checkpoint(tenant);
        UUID newest = auditIdAt(tenant, 7);
        asAttacker("delete from sentinel.audit_log where id = '" + newest + "'",
                "delete from sentinel.audit_chain where audit_id = '" + newest + "'");
        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.TRUNCATED);
            assertThat(problem.position()).isEqualTo(7);
        });
    }

    @Test
    void aRunThatStoppedHalfWayVerifiesAndTheNextRunFinishesIt() throws Exception {
        UUID tenant = tenantWithHistory();
        Instant cutoff = occurredAt(tenant, 5);
        // As a run that crashed after signing its checkpoint and removing its first batch would leave it.
        ((ChainSealer) sentinel.auditChain()).checkpoint(tenant, Purpose.RETENTION, 4);
        try (Connection owner = db.ownerDataSource().getConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("set local sentinel.scope = 'system'");
            statement.execute("set local sentinel.audit_removal = 'retention'");
            statement.execute("delete from sentinel.audit_log where tenant_id = '" + tenant + "' and id in (select audit_id from"
                    + " sentinel.audit_chain where tenant_id = '" + tenant + "' and position <= 2)");
            statement.execute("delete from sentinel.audit_chain where tenant_id = '" + tenant + "' and position <= 2");
            owner.commit();
        }
        assertThat(sentinel.auditChain().verify(tenant).problem()).isNull();

        RetentionResult finished = retention().removeBefore(tenant, cutoff);
        assertThat(finished.rowsRemoved()).isEqualTo(2);
        assertThat(finished.checkpoint().position()).isEqualTo(4);
        assertThat(count("select count(*) from sentinel.audit_log where tenant_id = ?", tenant)).isEqualTo(3);
        assertThat(sentinel.auditChain().verify(tenant).problem()).isNull();
    }

    @Test
    void theRuntimeRolesCannotRunIt() throws Exception {
        UUID tenant = tenantWithHistory();
        Instant cutoff = occurredAt(tenant, 5);
        for (DataSource runtime : List.of(db.appDataSource(), db.systemDataSource())) {
            assertThatThrownBy(() -> sentinel.auditRetention(runtime, OPERATOR).removeBefore(tenant, cutoff))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("runs as the owner role");
            // Nor by hand: the removal path admits the owner only.
            try (Connection connection = runtime.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("set local sentinel.scope = 'system'");
                statement.execute("set local sentinel.tenant_id = '" + tenant + "'");
                statement.execute("set local sentinel.audit_removal = 'retention'");
                assertThatThrownBy(() -> statement.execute("delete from sentinel.audit_log where tenant_id = '" + tenant + "'"))
                        .isInstanceOf(SQLException.class);
                connection.rollback();
            }
        }
        assertThat(count("select count(*) from sentinel.audit_log where tenant_id = ?", tenant)).isEqualTo(7);
        assertThat(count("select count(*) from sentinel.audit_checkpoint where tenant_id = ?", tenant)).isZero();
    }

    @Test
    void hostileInputIsRefusedWithATypedExceptionAndNothingIsWritten() throws Exception {
        UUID tenant = tenantWithHistory();
        Instant cutoff = occurredAt(tenant, 5);
        assertThatThrownBy(() -> retention().removeBefore(null, cutoff)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> retention().removeBefore(tenant, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> retention().removeBefore(tenant, Instant.now().plusSeconds(3600)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("in the future");
        assertThatThrownBy(() -> retention().removeBefore(UUID.randomUUID(), cutoff)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.auditRetention(null, OPERATOR)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.auditRetention(db.ownerDataSource(), null)).isInstanceOf(InvalidInputException.class);
        // A chain edited before the cutoff is evidence: retention refuses to remove it.
        asAttacker("update sentinel.audit_log set message = 'edited' where id = '" + auditIdAt(tenant, 2) + "'");
        assertThatThrownBy(() -> retention().removeBefore(tenant, cutoff)).isInstanceOf(AuditChainBrokenException.class)
                .hasMessageContaining("position 2 does not match its link");
        assertThat(count("select count(*) from sentinel.audit_log where tenant_id = ?", tenant)).isEqualTo(7);
        assertThat(count("select count(*) from sentinel.audit_checkpoint where tenant_id = ?", tenant)).isZero();
    }

    private static Instant occurredAt(UUID tenant, long position) throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement select = admin.prepareStatement("select a.occurred_at from sentinel.audit_log a join"
                        + " sentinel.audit_chain c on c.tenant_id = a.tenant_id and c.audit_id = a.id where c.tenant_id = ? and c.position = ?")) {
            select.setObject(1, tenant);
            select.setLong(2, position);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private static UUID auditIdAt(UUID tenant, long position) throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement select = admin.prepareStatement(
                        "select audit_id from sentinel.audit_chain where tenant_id = ? and position = ?")) {
            select.setObject(1, tenant);
            select.setLong(2, position);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getObject(1, UUID.class);
            }
        }
    }

    private static String linkHashAt(UUID tenant, long position) throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement select = admin.prepareStatement("select hash from sentinel.audit_chain where tenant_id = ? and position = ?")) {
            select.setObject(1, tenant);
            select.setLong(2, position);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static long count(String sql, Object... args) throws SQLException {
        try (Connection admin = db.adminDataSource().getConnection(); PreparedStatement select = admin.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i] instanceof Instant instant ? OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC) : args[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The owner role with the append-only triggers off, in the system scope, as an attacker with that role would be. */
    private static void asAttacker(String... statements) throws SQLException {
        AuditTamper.run(db, statements);
    }
}
