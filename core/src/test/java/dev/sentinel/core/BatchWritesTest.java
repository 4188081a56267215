package dev.sentinel.core;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.secrets.Secret;
import dev.sentinel.core.secrets.SecretKey;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.core.support.TappedConnection;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import dev.sentinel.testing.WireTap;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The repository's set-at-a-time writes: the same rows and the same audit trail as the single
 * writes (diff, verbs, secret redaction, actor), in a few statements; and a batch that fails writes
 * nothing, whether its exception is caught or not.
 */
class BatchWritesTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Instant NOW = Instant.parse("2026-12-31T20:15:00Z");
    private static final Actor ALICE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000a11c"));
    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        byte[] material = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        sentinel = Sentinel.builder()
                .dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .secretKeys(SecretKeys.of(SecretKey.of("k1", material)))
                .build();
    }

    /** The same work, once with single writes and once with batches, on the same ids in two tenants. */
    @Test
    void batchesWriteTheSameRowsAndTheSameAuditTrailAsSingleWrites() {
        List<UUID> ids = List.of(Ids.next(), Ids.next(), Ids.next(), Ids.next());
        UUID single = Tenants.create(sentinel);
        UUID batched = Tenants.create(sentinel);

        sentinel.tenant(single, ALICE).useTransaction(tx -> {
            var widgets = tx.table(WIDGETS);
            List<WidgetsRecord> rows = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                rows.add(widgets.insert(newWidget(ids.get(i), i)));
            }
            for (WidgetsRecord row : rows) {
                widgets.update(row.setQuantity(row.getQuantity() + 10).setColor("red"));
            }
            widgets.softDelete(ids.get(0), "duplicate");
            widgets.softDelete(ids.get(1), "duplicate");
            widgets.restore(ids.get(1));
        });
        sentinel.tenant(batched, ALICE).useTransaction(tx -> {
            var widgets = tx.table(WIDGETS);
            List<WidgetsRecord> rows = widgets.insertAll(List.of(newWidget(ids.get(0), 0), newWidget(ids.get(1), 1),
                    newWidget(ids.get(2), 2), newWidget(ids.get(3), 3)));
            assertThat(rows).extracting(WidgetsRecord::getId).describedAs("in the order given").containsExactlyElementsOf(ids);
            for (WidgetsRecord row : rows) {
                row.setQuantity(row.getQuantity() + 10).setColor("red");
            }
            List<WidgetsRecord> updated = widgets.updateAll(rows);
            assertThat(updated).extracting(WidgetsRecord::getVersion).containsOnly(2);
            assertThat(widgets.softDeleteAll(List.of(ids.get(0), ids.get(1)), "duplicate"))
                    .extracting(WidgetsRecord::getDeleteReason).containsOnly("duplicate");
            widgets.restore(ids.get(1));
        });

        assertThat(rows(batched)).isEqualTo(rows(single));
        List<String> singleTrail = trail(single);
        assertThat(singleTrail).describedAs("inserts, updates, soft deletes and a restore, with a secret").hasSize(11)
                .anyMatch(line -> line.contains("\"secret_note\": {\"new\": \"[redacted]\"}"))
                .anyMatch(line -> line.startsWith("soft_delete")).anyMatch(line -> line.startsWith("restore"));
        assertThat(trail(batched)).isEqualTo(singleTrail);
    }

    @Test
    void aHundredAuditedInsertsAndTheirUpdatesTakeThreeRoundTrips() throws Exception {
        try (TappedConnection connection = TappedConnection.open(db)) {
            WireTap tap = connection.tap();
            Sentinel tapped = Sentinel.builder().dataSource(connection.dataSource()).systemDataSource(db.systemDataSource()).build();
            UUID tenant = Tenants.create(tapped);
            List<WidgetsRecord> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                records.add(new WidgetsRecord().setName("w" + i).setQuantity(i));
            }
            tap.reset();
            tapped.tenant(tenant, ALICE).useTransaction(tx -> {
                // docs/concepts.md, "Batched writes"
                List<WidgetsRecord> stored = tx.table(WIDGETS).insertAll(records);
                stored.forEach(row -> row.setColor("green"));
                tx.table(WIDGETS).updateAll(stored);
                assertThat(stored).hasSize(100).extracting(WidgetsRecord::getTenantId).containsOnly(tenant);
                assertThat(stored).extracting(WidgetsRecord::getName).startsWith("w0", "w1", "w2");
            });
            List<List<String>> trips = tap.roundTrips();
            // On Citus the settings (SET LOCAL, values written in) go alone: one round trip more.
            assertThat(trips).describedAs("BEGIN + settings + one insert, one update, COMMIT: %s", trips)
                    .hasSize(dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource()) ? 4 : 3);
            assertThat(trips.size()).describedAs("N / 50 + 3 for N = 200 audited mutations").isLessThanOrEqualTo(200 / 50 + 3);
            long audited = tapped.tenant(tenant, ALICE).inTransaction(tx -> tx.audit().list(AuditFilter.all(), 1000).entries()
                    .stream().filter(e -> "public.widgets".equals(e.entityType())).count());
            assertThat(audited).isEqualTo(200);
        }
    }

    @Test
    void aFailedInsertBatchWritesNothing() {
        UUID tenant = Tenants.create(sentinel);
        UUID taken = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS).insert(newWidget(Ids.next(), 0)).getId());
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS)
                .insertAll(List.of(newWidget(Ids.next(), 1), newWidget(taken, 2)))))
                .isInstanceOf(UniqueViolationException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS)
                .insertAll(List.of(newWidget(Ids.next(), 1), new WidgetsRecord().setName("x").setTenantId(Ids.next())))))
                .isInstanceOf(TenantMismatchException.class);
        assertThat(widgetCount(tenant)).isEqualTo(1);
        assertThat(auditCount(tenant)).describedAs("the tenant's row and the one widget").isEqualTo(2);
    }

    @Test
    void aFailedUpdateBatchWritesNothingEvenIfItsExceptionIsCaught() {
        UUID tenant = Tenants.create(sentinel);
        List<WidgetsRecord> rows = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS)
                .insertAll(List.of(newWidget(Ids.next(), 0), newWidget(Ids.next(), 1), newWidget(Ids.next(), 2))));
        // Another transaction updates the last row: the batch's copy of it is stale.
        sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS).update(tx.table(WIDGETS).get(rows.get(2).getId()).setColor("blue")));
        long auditBefore = auditCount(tenant);

        for (WidgetsRecord row : rows) {
            row.setQuantity(99);
        }
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS).updateAll(rows)))
                .isInstanceOf(StaleRecordException.class).hasMessageContaining(rows.get(2).getId().toString());
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> {
            try {
                tx.table(WIDGETS).updateAll(rows);
            } catch (StaleRecordException caught) {
                // carrying on would commit the rows the statement did update
            }
        })).isInstanceOf(TransactionConflictException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS)
                .softDeleteAll(List.of(rows.get(0).getId(), Ids.next()), "gone")))
                .isInstanceOf(NotFoundException.class);

        long live = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS).count(DSL.noCondition()));
        long changed = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.QUANTITY.eq(99)));
        assertThat(live).isEqualTo(3);
        assertThat(changed).isZero();
        assertThat(auditCount(tenant)).describedAs("no audit row from the failed batches").isEqualTo(auditBefore);
    }

    @Test
    void badBatchInputIsRefusedBeforeAnythingIsSent() {
        UUID tenant = Tenants.create(sentinel);
        UUID id = Ids.next();
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS).softDeleteAll(List.of(id, id), "twice")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS).softDeleteAll(List.of(id), " ")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.table(WIDGETS).updateAll(List.of(new WidgetsRecord().setName("x")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no id");
        List<WidgetsRecord> none = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS).insertAll(List.of()));
        assertThat(none).isEmpty();
    }

    private static WidgetsRecord newWidget(UUID id, int n) {
        return new WidgetsRecord().setId(id).setName("widget " + n).setQuantity(n).setSecretNote(Secret.of("note " + n));
    }

    /**
     * The tenant's widgets as text, without the tenant's id and updated_at: with the fixed clock an
     * update leaves updated_at as it was, so touch_updated_at sets the database's real time.
     */
    private static List<String> rows(UUID tenant) {
        return sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.dsl()
                .select(WIDGETS.ID, WIDGETS.NAME, WIDGETS.COLOR, WIDGETS.QUANTITY, WIDGETS.VERSION, WIDGETS.CREATED_AT,
                        WIDGETS.DELETED_AT, WIDGETS.DELETED_BY, WIDGETS.DELETE_REASON)
                .from(WIDGETS).where(WIDGETS.TENANT_ID.eq(tenant)).orderBy(WIDGETS.ID).fetch()
                .map(r -> r.formatCSV(false)));
    }

    /** The tenant's audit rows of widgets, oldest first, the tenant's id and real times (see rows) taken out of the diffs. */
    private static List<String> trail(UUID tenant) {
        List<AuditEntry> entries = new ArrayList<>(sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.audit()
                .list(AuditFilter.all(), 1000).entries()));
        return entries.reversed().stream().filter(e -> "public.widgets".equals(e.entityType()))
                .map(e -> e.action() + " " + e.actorType() + " " + e.actorId() + " " + e.entityId() + " " + e.meta() + " "
                        + e.diff().replace(tenant.toString(), "TENANT").replaceAll("\"\\d{4}-\\d\\d-\\d\\dT[^\"]+\"", "TIME"))
                .toList();
    }

    private static long widgetCount(UUID tenant) {
        return sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.table(WIDGETS).withDeleted().count(DSL.noCondition()));
    }

    private static long auditCount(UUID tenant) {
        try (Connection connection = db.appDataSource().getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("set local sentinel.tenant_id = '" + tenant + "'");
            try (ResultSet count = statement.executeQuery("select count(*) from sentinel.audit_log where tenant_id = '" + tenant + "'")) {
                count.next();
                long result = count.getLong(1);
                connection.rollback();
                return result;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
