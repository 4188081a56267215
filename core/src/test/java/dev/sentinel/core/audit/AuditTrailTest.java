package dev.sentinel.core.audit;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.db.enums.ActorType;
import dev.sentinel.core.db.enums.AuditLevel;
import dev.sentinel.core.secrets.Secret;
import dev.sentinel.core.secrets.SecretKey;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Audit rows are written by triggers, one per changed row, in the same transaction, API or raw SQL alike. */
class AuditTrailTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor CAROL = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-0000000ca201"));
    private static final String SECRET_ONE = "first clear note";
    private static final String SECRET_TWO = "second clear note";
    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .secretKeys(SecretKeys.of(SecretKey.of("audit-test", material))).build();
    }

    @Test
    void everyMutationLeavesOneAuditRowInTheSameTransactionThroughTheApiAndRawSql() {
        UUID tenant = Tenants.create(sentinel);
        List<AuditEntry> trail = sentinel.tenant(tenant, CAROL).with(TxOptions.defaults().withRequestId("req-audit-1"))
                .inTransaction(tx -> {
                    WidgetsRecord widget = tx.table(WIDGETS).insert(new WidgetsRecord().setName("audited"));
                    tx.table(WIDGETS).update(widget.setQuantity(4));
                    tx.table(WIDGETS).softDelete(widget.getId(), "test");
                    tx.table(WIDGETS).restore(widget.getId());
                    tx.dsl().update(WIDGETS).set(WIDGETS.COLOR, "blue").where(WIDGETS.ID.eq(widget.getId())).execute();
                    tx.dsl().update(WIDGETS).set(WIDGETS.COLOR, "blue").where(WIDGETS.ID.eq(widget.getId())).execute(); // no change
                    tx.dsl().deleteFrom(WIDGETS).where(WIDGETS.ID.eq(widget.getId())).execute();
                    return tx.audit().list(AuditFilter.all().entity("public.widgets", widget.getId()), 100).entries();
                });

        assertThat(trail).describedAs("newest first, visible before the commit")
                .extracting(AuditEntry::action)
                .containsExactly("purge", "update", "restore", "soft_delete", "update", "insert");
        assertThat(trail).allSatisfy(entry -> {
            assertThat(entry.tenantId()).isEqualTo(tenant);
            assertThat(entry.actorType()).isEqualTo(ActorType.USER);
            assertThat(entry.actorId()).isEqualTo(CAROL.userId().orElseThrow());
            assertThat(entry.requestId()).isEqualTo("req-audit-1");
            assertThat(entry.entityType()).isEqualTo("public.widgets");
        });
        assertThat(trail.get(1).diff()).describedAs("the raw update's diff: the changed columns only (the trigger touched updated_at)")
                .startsWith("{\"color\": {\"new\": \"blue\", \"old\": \"grey\"}, \"updated_at\": {")
                .doesNotContain("quantity", "name");
        assertThat(trail.get(3).diff()).contains("\"delete_reason\": {\"new\": \"test\", \"old\": null}");
    }

    @Test
    void aRolledBackTransactionLeavesNoAuditRow() {
        UUID tenant = Tenants.create(sentinel);
        assertThatThrownBy(() -> sentinel.tenant(tenant, CAROL).useTransaction(tx -> {
            tx.table(WIDGETS).insert(new WidgetsRecord().setName("never"));
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        int rows = sentinel.tenant(tenant, CAROL).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.widgets", null), 10).entries().size());
        assertThat(rows).isZero();
    }

    @Test
    void secretColumnsNeverAppearInADiff() {
        UUID tenant = Tenants.create(sentinel);
        List<String> stored = new ArrayList<>();
        String diff = sentinel.tenant(tenant, CAROL).inTransaction(tx -> {
            WidgetsRecord widget = tx.table(WIDGETS).insert(new WidgetsRecord().setName("vault").setSecretNote(Secret.of(SECRET_ONE)));
            stored.add(tx.dsl().select(DSL.field("secret_note", String.class)).from(WIDGETS)
                    .where(WIDGETS.ID.eq(widget.getId())).fetchOne().value1());
            tx.table(WIDGETS).update(widget.setSecretNote(Secret.of(SECRET_TWO)));
            stored.add(tx.dsl().select(DSL.field("secret_note", String.class)).from(WIDGETS)
                    .where(WIDGETS.ID.eq(widget.getId())).fetchOne().value1());
            return tx.audit().list(AuditFilter.all().entity("public.widgets", widget.getId()), 10).entries().stream()
                    .map(AuditEntry::diff).reduce("", String::concat);
        });
        assertThat(stored).hasSize(2).allSatisfy(value -> assertThat(value).startsWith("sv1:audit-test:"));
        assertThat(diff).doesNotContain(SECRET_ONE, SECRET_TWO, stored.get(0), stored.get(1))
                .contains("\"secret_note\": {\"new\": \"[redacted]\", \"old\": \"[redacted]\"}");
    }

    @Test
    void customEntriesCarryTheActorAndAreFilteredAndPaged() {
        UUID tenant = Tenants.create(sentinel);
        UUID report = UUID.randomUUID();
        sentinel.tenant(tenant, CAROL).useTransaction(tx -> {
            for (int i = 0; i < 5; i++) {
                tx.audit().record(AuditEvent.of("report.export").entity("reports", report).meta("format", "csv").meta("n", "" + i));
            }
            tx.audit().record(AuditEvent.of("auth.login").level(AuditLevel.WARN).message("from a new device"));
        });
        AuditPage first = sentinel.tenant(tenant, CAROL).inTransaction(tx -> tx.audit().list(AuditFilter.all().action("report.export"), 3));
        assertThat(first.entries()).hasSize(3).allSatisfy(e -> {
            assertThat(e.entityId()).isEqualTo(report);
            assertThat(e.meta()).contains("\"format\": \"csv\"");
        });
        AuditPage second = sentinel.tenant(tenant, CAROL).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().action("report.export"), 3, first.nextBefore().orElseThrow()));
        assertThat(second.entries()).hasSize(2);
        assertThat(second.nextBefore()).isEmpty();

        AuditPage other = sentinel.tenant(Tenants.create(sentinel), CAROL).inTransaction(tx -> tx.audit().list(AuditFilter.all(), 10));
        assertThat(other.entries()).describedAs("another tenant's trail holds only its own creation").noneMatch(e -> e.action().equals("report.export"));

        assertThatThrownBy(() -> AuditEvent.of("DROP TABLE")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void systemScopeChangesToGlobalRowsGoToTheSystemTrail() {
        UUID tenant = Tenants.create(sentinel);
        AuditPage system = sentinel.system(Actor.service("ops")).inTransaction(tx -> {
            tx.audit().record(AuditEvent.of("maintenance.start"));
            return tx.audit().list(AuditFilter.all().action("maintenance.start"), 10);
        });
        assertThat(system.entries()).singleElement().satisfies(e -> {
            assertThat(e.tenantId()).isNull();
            assertThat(e.actorType()).isEqualTo(ActorType.SERVICE);
            assertThat(e.actorLabel()).isEqualTo("ops");
        });
        AuditPage tenantTrail = sentinel.tenant(tenant, CAROL).inTransaction(tx -> tx.audit().list(AuditFilter.all().entity("tenants", tenant), 10));
        assertThat(tenantTrail.entries()).describedAs("creating the tenant is in its own trail, by the setup service")
                .singleElement().satisfies(e -> {
                    assertThat(e.action()).isEqualTo("insert");
                    assertThat(e.actorLabel()).isEqualTo("test-setup");
                    assertThat(e.meta()).contains("\"scope\": \"system\"");
                });
    }
}
