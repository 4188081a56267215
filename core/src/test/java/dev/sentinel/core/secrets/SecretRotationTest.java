package dev.sentinel.core.secrets;

import static dev.sentinel.core.db.Tables.USERS;
import static dev.sentinel.core.testservice.db.Tables.CONNECTIONS;
import static dev.sentinel.core.testservice.db.Tables.GADGETS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.tables.records.UsersRecord;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.ConnectionsRecord;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key rotation: values sealed under k1 end under k2, batch by batch in the system scope, while
 * reads and writes go on; a stopped rotation resumes; a value that does not open is reported and
 * left alone; a missing old key stops it with the key named. Each test rotates its own table
 * (widgets, connections, users), so that the tests do not see each other's rows.
 */
class SecretRotationTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor ALICE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000a11c"));

    /** The service before the rotation: k1 only. */
    private static Sentinel before;
    /** The service during the rotation: k2 seals, k1 still opens. */
    private static Sentinel during;

    @BeforeAll
    static void start() {
        before = keyed(SecretKeys.of(TestKeys.key("k1")));
        during = keyed(SecretKeys.of(TestKeys.key("k2"), TestKeys.key("k1")));
    }

    private static Sentinel keyed(SecretKeys keys) {
        return Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).secretKeys(keys).build();
    }

    /** Widgets of two tenants, sealed under k1: id to clear note. */
    private static Map<UUID, String> widgetsUnderK1(UUID tenantA, UUID tenantB, int each) {
        Map<UUID, String> notes = new LinkedHashMap<>();
        for (UUID tenant : List.of(tenantA, tenantB)) {
            before.tenant(tenant, ALICE).useTransaction(tx -> {
                for (int i = 0; i < each; i++) {
                    String note = "note " + i + " of " + tenant;
                    notes.put(tx.table(WIDGETS).insert(new WidgetsRecord().setName("w" + i).setSecretNote(Secret.of(note))).getId(), note);
                }
            });
        }
        return notes;
    }

    /** Reads every widget through the repository, checks it opens to its note, and counts the key ids. */
    private static Map<String, Integer> readAll(Sentinel with, UUID tenantA, UUID tenantB, Map<UUID, String> notes) {
        Map<String, Integer> keys = new LinkedHashMap<>();
        for (UUID tenant : List.of(tenantA, tenantB)) {
            with.tenant(tenant, ALICE).useTransaction(tx -> {
                for (WidgetsRecord widget : tx.table(WIDGETS).list(DSL.noCondition(), PageRequest.first(100)).items()) {
                    if (notes.containsKey(widget.getId())) {
                        assertThat(widget.getSecretNote().reveal()).isEqualTo(notes.get(widget.getId()));
                        keys.merge(widget.getSecretNote().keyId().orElseThrow(), 1, Integer::sum);
                    }
                }
            });
        }
        return keys;
    }

    @Test
    void valuesSealedUnderK1EndUnderK2WhileReadsAndWritesGoOn() {
        UUID tenantA = Tenants.create(before);
        UUID tenantB = Tenants.create(before);
        Map<UUID, String> notes = widgetsUnderK1(tenantA, tenantB, 12);
        UUID soft = notes.keySet().iterator().next();
        before.tenant(tenantA, ALICE).useTransaction(tx -> tx.table(WIDGETS).softDelete(soft, "rotated all the same"));
        notes.remove(soft);
        SecretRotation rotation = during.secretRotation();
        assertThat(rotation.pending(WIDGETS)).isEqualTo(24);
        assertThat(readAll(during, tenantA, tenantB, notes)).describedAs("k2 deployed, nothing rotated yet").containsOnlyKeys("k1");

        List<Map<String, Integer>> seenBetweenBatches = new ArrayList<>();
        RotationResult result = rotation.rotate(WIDGETS, 10, progress -> {
            // Between two batches: every value still opens, some under k2, the rest under k1.
            seenBetweenBatches.add(readAll(during, tenantA, tenantB, notes));
            if (progress.batches() == 1) {
                UUID fresh = during.tenant(tenantB, ALICE).inTransaction(tx ->
                        tx.table(WIDGETS).insert(new WidgetsRecord().setName("fresh").setSecretNote(Secret.of("written mid-rotation"))).getId());
                notes.put(fresh, "written mid-rotation");
            }
        });

        assertThat(result.table()).isEqualTo("public.widgets");
        assertThat(result.primaryKeyId()).isEqualTo("k2");
        assertThat(result.rotated()).describedAs("24 values, the soft-deleted row's included").isEqualTo(24);
        assertThat(result.batches()).isEqualTo(3);
        assertThat(result.failed()).isZero();
        assertThat(seenBetweenBatches).hasSize(3);
        assertThat(seenBetweenBatches.getFirst()).describedAs("10 rotated, one of them the soft-deleted row, which list() hides")
                .containsEntry("k2", 9).containsEntry("k1", 14);
        assertThat(seenBetweenBatches.get(1)).describedAs("20 rotated, one soft-deleted, and the row written mid-rotation")
                .containsEntry("k2", 20).containsEntry("k1", 4);
        assertThat(rotation.pending(WIDGETS)).isZero();
        assertThat(readAll(during, tenantA, tenantB, notes)).containsOnlyKeys("k2");

        Sentinel after = keyed(SecretKeys.of(TestKeys.key("k2")));
        assertThat(readAll(after, tenantA, tenantB, notes)).describedAs("k1 dropped").containsOnlyKeys("k2");
        assertThat(after.tenant(tenantA, ALICE).inTransaction(tx -> tx.table(WIDGETS).onlyDeleted().get(soft))
                .getSecretNote().reveal()).startsWith("note 0 of ");

        List<AuditEntry> audit = after.tenant(tenantA, ALICE).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.widgets", null), 100).entries());
        assertThat(audit).filteredOn(e -> "sentinel-secrets".equals(e.actorLabel())).hasSize(12).allSatisfy(e -> {
            assertThat(e.action()).isEqualTo("update");
            assertThat(e.meta()).contains("\"scope\": \"system\"");
            assertThat(e.diff()).contains("\"secret_note\": {\"new\": \"[redacted]\", \"old\": \"[redacted]\"}").doesNotContain("sv1:");
        });
    }

    @Test
    void aStoppedRotationResumesWhereItStopped() {
        UUID tenant = Tenants.create(before);
        List<UUID> connections = new ArrayList<>();
        before.tenant(tenant, ALICE).useTransaction(tx -> {
            for (String provider : List.of("google", "slack", "github", "zoom", "notion")) {
                connections.add(tx.table(CONNECTIONS).insert(new ConnectionsRecord().setProvider(provider)
                        .setAccessToken(Secret.of(provider + " access")).setRefreshToken(Secret.of(provider + " refresh"))).getId());
            }
        });
        SecretRotation rotation = during.secretRotation();
        long pendingBefore = rotation.pending(CONNECTIONS);
        assertThat(pendingBefore).describedAs("two values per row").isEqualTo(10);

        assertThatThrownBy(() -> rotation.rotate(CONNECTIONS, 2, progress -> {
            throw new IllegalStateException("deployment in progress");
        })).hasMessage("deployment in progress");
        assertThat(rotation.pending(CONNECTIONS)).describedAs("the first batch (2 rows, 4 values) stays committed")
                .isEqualTo(pendingBefore - 4);

        RotationResult resumed = rotation.rotate(CONNECTIONS);
        assertThat(resumed.rotated()).isEqualTo(pendingBefore - 4);
        assertThat(rotation.pending(CONNECTIONS)).isZero();
        Sentinel after = keyed(SecretKeys.of(TestKeys.key("k2")));
        after.tenant(tenant, ALICE).useTransaction(tx -> {
            for (ConnectionsRecord row : tx.table(CONNECTIONS).list(CONNECTIONS.ID.in(connections), PageRequest.first(10)).items()) {
                assertThat(row.getAccessToken().reveal()).isEqualTo(row.getProvider() + " access");
                assertThat(row.getRefreshToken().reveal()).isEqualTo(row.getProvider() + " refresh");
            }
        });
    }

    @Test
    void aValueThatDoesNotOpenIsReportedAndLeftAloneAndAMissingKeyStopsTheRotationOfAGlobalTable() {
        Sentinel k3 = keyed(SecretKeys.of(TestKeys.key("k3")));
        assertThatThrownBy(() -> k3.secretRotation().rotate(GADGETS)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("gadgets has no sentinel:secret columns");

        UUID[] users = before.system(ALICE).inTransaction(tx -> {
            UUID a = tx.table(USERS).insert(new UsersRecord().setEmail("a@example.com").setMfaSecret(Secret.of("A-TOTP-SEED"))).getId();
            UUID b = tx.table(USERS).insert(new UsersRecord().setEmail("b@example.com").setMfaSecret(Secret.of("B-TOTP-SEED"))).getId();
            tx.dsl().execute("update sentinel.users set mfa_secret = (select mfa_secret from sentinel.users where id = ?) where id = ?", a, b);
            return new UUID[] {a, b};
        });
        // A key ring without k1 cannot open what is under k1: the rotation stops, naming the key.
        assertThatThrownBy(() -> k3.secretRotation().rotate(USERS)).isInstanceOf(SecretKeyException.class)
                .hasMessageContaining("sealed under key 'k1'").hasMessageContaining("add SecretKey k1");
        assertThat(k3.secretRotation().pending(USERS)).describedAs("nothing rotated").isEqualTo(2);

        Sentinel k3WithK1 = keyed(SecretKeys.of(TestKeys.key("k3"), TestKeys.key("k1")));
        RotationResult result = k3WithK1.secretRotation().rotate(USERS);
        assertThat(result.table()).isEqualTo("sentinel.users");
        assertThat(result.rotated()).isEqualTo(1);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.rowId()).isEqualTo(users[1]);
            assertThat(failure.tenantId()).describedAs("a global table").isNull();
            assertThat(failure.column()).isEqualTo("mfa_secret");
            assertThat(failure.reason()).contains("copied from another row").doesNotContain("TOTP-SEED");
        });
        assertThat(k3WithK1.secretRotation().pending(USERS)).describedAs("the value that did not open").isEqualTo(1);
        assertThat(k3WithK1.system(ALICE).inTransaction(tx -> tx.table(USERS).get(users[0])).getMfaSecret())
                .satisfies(secret -> {
                    assertThat(secret.keyId()).contains("k3");
                    assertThat(secret.reveal()).isEqualTo("A-TOTP-SEED");
                });
    }
}
