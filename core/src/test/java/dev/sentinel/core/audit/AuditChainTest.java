package dev.sentinel.core.audit;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.ChainVerification.Kind;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.AuditTamper;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sealed chain: intact when nobody tampered, and when the owner role plays the attacker
 * (turning the append-only trigger off first, as anyone with that role could; {@link AuditTamper}), verify names the first
 * edited, deleted or inserted row at the right position, and catches a chain recomputed without the
 * key and a truncation measured against an anchor.
 */
class AuditChainTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Actor DAVE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000da7e"));
    private static Sentinel sentinel;
    /** Tamperings that verify reported at the right link, by what the attacker did. */
    private static final Map<String, Integer> CAUGHT = new ConcurrentSkipListMap<>();

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY).build();
    }

    @AfterAll
    static void report() {
        System.out.println("AuditChainTest: " + CAUGHT.values().stream().mapToInt(Integer::intValue).sum() + " tamperings by the"
                + " owner role with the append-only trigger disabled " + CAUGHT + ", each reported by verify as the right kind at"
                + " the right link");
    }

    private static void caught(String what) {
        CAUGHT.merge(what, 1, Integer::sum);
    }

    /** A tenant with its creation row plus {@code widgets} inserts, all sealed. */
    private static UUID sealedTenant(int widgets) {
        UUID tenant = Tenants.create(sentinel);
        for (int i = 0; i < widgets; i++) {
            int n = i;
            sentinel.tenant(tenant, DAVE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("w" + n)));
        }
        assertThat(sentinel.auditChain().seal(tenant)).isEqualTo(widgets + 1);
        return tenant;
    }

    @Test
    void anUntouchedChainVerifiesAndSealingIsIncremental() {
        UUID tenant = sealedTenant(3);
        assertThat(sentinel.auditChain().verify(tenant).intact()).isTrue();
        assertThat(sentinel.auditChain().seal(tenant)).describedAs("nothing new").isZero();
        sentinel.tenant(tenant, DAVE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("late")));
        assertThat(sentinel.auditChain().seal(tenant)).isEqualTo(1);
        ChainVerification verification = sentinel.auditChain().verify(tenant);
        assertThat(verification.intact()).isTrue();
        assertThat(verification.verifiedLinks()).isEqualTo(5);
        assertThat(sentinel.auditChain().anchor(tenant).position()).isEqualTo(5);
    }

    @Test
    void anEditedRowIsReportedAtItsPosition() throws SQLException {
        UUID tenant = sealedTenant(4);
        UUID third = auditIdAt(tenant, 3);
        asAttacker("update sentinel.audit_log set actor_id = null where id = '" + third + "'");

        ChainVerification verification = sentinel.auditChain().verify(tenant);
        assertThat(verification.firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.EDITED);
            assertThat(problem.position()).isEqualTo(3);
            assertThat(problem.auditId()).isEqualTo(third);
        });
        assertThat(verification.verifiedLinks()).isEqualTo(2);
        caught("row edited");
    }

    @Test
    void aDeletedRowIsReportedAtItsPosition() throws SQLException {
        UUID tenant = sealedTenant(4);
        UUID second = auditIdAt(tenant, 2);
        asAttacker("delete from sentinel.audit_log where id = '" + second + "'");

        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.DELETED);
            assertThat(problem.position()).isEqualTo(2);
        });
        caught("row deleted");
    }

    @Test
    void aRowDeletedTogetherWithItsLinkIsReported() throws SQLException {
        UUID tenant = sealedTenant(4);
        UUID second = auditIdAt(tenant, 2);
        asAttacker("delete from sentinel.audit_log where id = '" + second + "'",
                "delete from sentinel.audit_chain where audit_id = '" + second + "'");

        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.DELETED);
            assertThat(problem.position()).isEqualTo(2);
        });
        caught("row deleted with its link");
    }

    @Test
    void aRowInsertedIntoTheSealedRangeIsReported() throws SQLException {
        UUID tenant = sealedTenant(4);
        UUID second = auditIdAt(tenant, 2);
        // The forgery copies the second row's transaction id, so it sorts inside the sealed range (read
        // first: Citus runs an INSERT ... SELECT with a volatile function as a COPY, refused under row-level security).
        String tx;
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet row = statement.executeQuery("select tx from sentinel.audit_log where tenant_id = '" + tenant
                        + "' and id = '" + second + "'")) {
            row.next();
            tx = row.getString(1);
        }
        asAttacker("insert into sentinel.audit_log (tenant_id, id, tx, actor_type, action, entity_type)"
                + " values ('" + tenant + "', '" + UUID.randomUUID() + "', '" + tx + "'::xid8, 'user', 'update', 'public.widgets')");

        // It sorts after the second row (same tx, a later seq), at position 3. On Citus the trail's own rows
        // take their seq on the worker that holds the shard, from that node's range of the identity
        // (far above the coordinator's), and the forgery, inserted through the coordinator, a smaller
        // one: it sorts before the second row, at position 2. Either way it is inside the sealed range.
        boolean citus = ClusterCheck.isCitus(db.adminDataSource());
        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.INSERTED);
            assertThat(problem.position()).isEqualTo(citus ? 2 : 3);
        });
        caught("row inserted");
    }

    @Test
    void aChainRecomputedWithoutTheKeyIsReported() throws SQLException {
        UUID tenant = sealedTenant(3);
        UUID second = auditIdAt(tenant, 2);
        asAttacker("update sentinel.audit_log set action = 'insert', diff = '{}' where id = '" + second + "'");
        // The attacker recomputes every link from the edited row on, with SHA-256 (no key).
        try (Connection owner = attacker()) {
            List<String[]> links = new ArrayList<>();
            try (PreparedStatement select = owner.prepareStatement("select c.position, c.audit_id, sentinel.audit_canonical(row(a.*)::sentinel.audit_log)"
                    + " from sentinel.audit_chain c join sentinel.audit_log a on a.tenant_id = c.tenant_id and a.id = c.audit_id"
                    + " where c.tenant_id = ? order by c.position")) {
                select.setObject(1, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        links.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                    }
                }
            }
            String previous = "0".repeat(64);
            try (Statement statement = owner.createStatement()) {
                for (String[] link : links) {
                    previous = sha256(previous + "\n" + link[2]);
                    statement.execute("update sentinel.audit_chain set hash = '" + previous + "' where tenant_id = '" + tenant
                            + "' and position = " + link[0]);
                }
            }
            leave(owner);
        }

        assertThat(sentinel.auditChain().verify(tenant).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.EDITED);
            assertThat(problem.position()).describedAs("the first recomputed link").isEqualTo(1);
        });
        caught("row edited, chain recomputed without the key");
    }

    @Test
    void cuttingTheNewestRowsIsCaughtOnlyAgainstAnAnchor() throws SQLException {
        UUID tenant = sealedTenant(4);
        ChainAnchor anchor = ChainAnchor.parse(sentinel.auditChain().anchor(tenant).toString());
        UUID last = auditIdAt(tenant, 5);
        asAttacker("delete from sentinel.audit_chain where audit_id = '" + last + "'",
                "delete from sentinel.audit_log where id = '" + last + "'");

        assertThat(sentinel.auditChain().verify(tenant).intact()).describedAs("a shorter chain verifies on its own").isTrue();
        assertThat(sentinel.auditChain().verify(anchor).firstProblem()).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.TRUNCATED);
            assertThat(problem.position()).isEqualTo(5);
        });
        caught("newest row cut with its link, caught against an anchor");
    }

    @Test
    void concurrentWritersInOneTenantProduceAChainThatVerifies() throws Exception {
        UUID tenant = Tenants.create(sentinel);
        ExecutorService writers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 6; thread++) {
                int t = thread;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        int n = i;
                        sentinel.tenant(tenant, DAVE).useTransaction(tx -> {
                            WidgetsRecord w = tx.table(WIDGETS).insert(new WidgetsRecord().setName("t" + t + "-" + n));
                            tx.table(WIDGETS).update(w.setQuantity(n));
                        });
                        if (n % 10 == 0) {
                            sentinel.auditChain().seal(tenant); // sealing while others write
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            writers.shutdown();
        }
        sentinel.auditChain().sealAll();
        ChainVerification verification = sentinel.auditChain().verify(tenant);
        assertThat(verification.intact()).describedAs("%s", verification).isTrue();
        assertThat(verification.verifiedLinks()).describedAs("the tenant's creation and 2 rows per transaction").isEqualTo(1 + 6 * 40 * 2);
    }

    @Test
    void theBackgroundSealerSealsNewRowsWithoutBeingAsked() throws InterruptedException {
        try (Sentinel sealing = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).auditKey(KEY)
                .sealAuditEvery(java.time.Duration.ofSeconds(1)).build()) {
            UUID tenant = Tenants.create(sealing);
            sealing.tenant(tenant, DAVE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("background")));
            long position = 0;
            for (int poll = 0; poll < 300 && position < 2; poll++) { // waits for the sealer; asserts nothing about time
                Thread.sleep(100);
                position = sealing.auditChain().anchor(tenant).position();
            }
            assertThat(position).describedAs("the tenant's creation and the insert, sealed in the background").isEqualTo(2);
            assertThat(sealing.auditChain().verify(tenant).intact()).isTrue();
        }
        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).sealAuditEvery(java.time.Duration.ofSeconds(1)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("auditKey");
    }

    @Test
    void theApplicationRoleCannotRewriteTheChain() {
        UUID tenant = sealedTenant(1);
        for (String sql : List.of("update sentinel.audit_chain set hash = repeat('0', 64)", "delete from sentinel.audit_chain",
                "truncate sentinel.audit_chain")) {
            assertThatThrownBy(() -> sentinel.tenant(tenant, DAVE).useTransaction(tx -> tx.dsl().execute(sql)))
                    .describedAs(sql).isInstanceOf(dev.sentinel.core.PermissionDeniedException.class);
        }
        assertThat(sentinel.auditChain().verify(tenant).intact()).isTrue();
    }

    @Test
    void theChainNeedsAKeyAndNeverShowsIt() {
        try (Sentinel keyless = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
            assertThatThrownBy(keyless::auditChain).isInstanceOf(ConfigurationException.class).hasMessageContaining("auditKey");
        }
        assertThat(KEY.toString()).doesNotContain("0123456789abcdef");
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

    /** The owner role, with the append-only triggers off and the system scope on, as an attacker would. */
    private static Connection attacker() throws SQLException {
        return AuditTamper.open(db);
    }

    private static void asAttacker(String... statements) throws SQLException {
        AuditTamper.run(db, statements);
    }

    /** Puts the triggers back and commits: the attacker covers their tracks. */
    private static void leave(Connection owner) throws SQLException {
        AuditTamper.commit(owner);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
