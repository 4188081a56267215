package dev.sentinel.core;

import static dev.sentinel.core.testservice.db.Tables.GADGETS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.GadgetsRecord;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generic repository on {@code widgets} and {@code gadgets}, tables that exist only in a test
 * migration (as a downstream service's would) and are known to Sentinel only through their
 * generated jOOQ classes: no Java registration.
 */
class RepositoryTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Instant NOW = Instant.parse("2026-12-31T20:15:00Z");

    private static Sentinel sentinel;
    private static final Actor ALICE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000a11c"));
    private UUID tenantA;
    private UUID tenantB;

    @BeforeAll
    static void startSentinel() {
        sentinel = Sentinel.builder()
                .dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .clock(Clock.fixed(NOW, ZoneId.of("Asia/Colombo")))
                .build();
    }

    @BeforeEach
    void twoTenants() {
        tenantA = Tenants.create(sentinel);
        tenantB = Tenants.create(sentinel);
    }

    private Scope a() {
        return sentinel.tenant(tenantA, ALICE);
    }

    private Scope b() {
        return sentinel.tenant(tenantB, ALICE);
    }

    private static WidgetsRecord widget(String name) {
        return new WidgetsRecord().setName(name);
    }

    @Test
    void insertFillsTenantUuidV7IdAndTimestampsFromTheClock() {
        WidgetsRecord stored = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("anvil")));

        assertThat(stored.getTenantId()).isEqualTo(tenantA);
        assertThat(stored.getId().version()).describedAs("UUIDv7").isEqualTo(7);
        assertThat(stored.getCreatedAt().toInstant()).isEqualTo(NOW);
        assertThat(stored.getUpdatedAt().toInstant()).isEqualTo(NOW);
        assertThat(stored.getColor()).describedAs("database default").isEqualTo("grey");
        assertThat(stored.getVersion()).isEqualTo(1);
    }

    @Test
    void anExplicitOtherTenantIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).insert(widget("spy").setTenantId(tenantB))))
                .isInstanceOf(TenantMismatchException.class)
                .hasMessageContaining(tenantB.toString());
        long v1 = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("spy")));
        assertThat(v1).isZero();
    }

    @Test
    void rawSqlIntoAnotherTenantIsRejectedByRowLevelSecurity() {
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.dsl()
                .insertInto(WIDGETS, WIDGETS.TENANT_ID, WIDGETS.ID, WIDGETS.NAME)
                .values(tenantB, UUID.randomUUID(), "raw-spy")
                .execute()))
                .isInstanceOf(TenantMismatchException.class)
                .hasMessageContaining("row-level security");
    }

    @Test
    void theSystemScopeMustNameTheTenantOfATenantTable() {
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.table(WIDGETS).insert(widget("orphan"))))
                .isInstanceOf(MissingScopeException.class)
                .hasMessageContaining("set tenant_id");
        WidgetsRecord stored = sentinel.system(Tenants.SETUP)
                .inTransaction(tx -> tx.table(WIDGETS).insert(widget("adopted").setTenantId(tenantB)));
        assertThat(stored.getTenantId()).isEqualTo(tenantB);
    }

    @Test
    void anotherTenantsIdIsNotFoundExactlyLikeAMissingOne() {
        UUID bWidget = b().inTransaction(tx -> tx.table(WIDGETS).insert(widget("secret")).getId());

        a().useTransaction(tx -> {
            assertThat(tx.table(WIDGETS).find(bWidget)).isEmpty();
            assertThat(tx.table(WIDGETS).find(UUID.randomUUID())).isEmpty();
            assertThatThrownBy(() -> tx.table(WIDGETS).get(bWidget))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("No widgets row " + bWidget + " in tenant " + tenantA);
        });
        UUID bGadget = b().inTransaction(tx -> tx.table(GADGETS).insert(new GadgetsRecord().setLabel("secret")).getId());
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(GADGETS).update(new GadgetsRecord().setId(bGadget).setLabel("stolen"))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(bWidget, "sabotage")))
                .isInstanceOf(NotFoundException.class);
        String v2 = b().inTransaction(tx -> tx.table(WIDGETS).get(bWidget).getName());
        assertThat(v2).isEqualTo("secret");
        String v3 = b().inTransaction(tx -> tx.table(GADGETS).get(bGadget).getLabel());
        assertThat(v3).isEqualTo("secret");
    }

    @Test
    void updateUsesOptimisticLocking() {
        WidgetsRecord stored = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("gear")));

        WidgetsRecord first = a().inTransaction(tx -> tx.table(WIDGETS).get(stored.getId()));
        WidgetsRecord second = a().inTransaction(tx -> tx.table(WIDGETS).get(stored.getId()));

        WidgetsRecord updated = a().inTransaction(tx -> tx.table(WIDGETS).update(first.setQuantity(5).setColor("red")));
        assertThat(updated.getVersion()).isEqualTo(2);
        assertThat(updated.getQuantity()).isEqualTo(5);
        assertThat(updated.getColor()).isEqualTo("red");

        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).update(second.setQuantity(7))))
                .isInstanceOf(StaleRecordException.class)
                .hasMessageContaining("version 1");
        int v4 = a().inTransaction(tx -> tx.table(WIDGETS).get(stored.getId()).getQuantity());
        assertThat(v4).isEqualTo(5);
    }

    @Test
    void softDeleteHidesTheRowAndRecordsWhoAndWhy() {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("old")).getId());

        WidgetsRecord deleted = a().inTransaction(tx -> tx.table(WIDGETS).softDelete(id, "duplicate"));
        assertThat(deleted.getDeletedAt().toInstant()).isEqualTo(NOW);
        assertThat(deleted.getDeletedBy()).isEqualTo(ALICE.userId().orElseThrow());
        assertThat(deleted.getDeleteReason()).isEqualTo("duplicate");

        a().useTransaction(tx -> {
            assertThat(tx.table(WIDGETS).find(id)).isEmpty();
            assertThat(tx.table(WIDGETS).withDeleted().find(id)).isPresent();
            assertThat(tx.table(WIDGETS).onlyDeleted().find(id)).isPresent();
            assertThat(tx.table(WIDGETS).count(DSL.noCondition())).isZero();
            assertThat(tx.table(WIDGETS).withDeleted().count(DSL.noCondition())).isEqualTo(1);
        });
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(id, "again")))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("already deleted");
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(id, " ")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void restoreBringsTheRowBackUnlessItsNameWasTakenMeanwhile() {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("phoenix")).getId());
        a().useTransaction(tx -> tx.table(WIDGETS).softDelete(id, "test"));

        WidgetsRecord restored = a().inTransaction(tx -> tx.table(WIDGETS).restore(id));
        assertThat(restored.getDeletedAt()).isNull();
        assertThat(restored.getDeleteReason()).isNull();
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).restore(id)))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("is not deleted");

        a().useTransaction(tx -> tx.table(WIDGETS).softDelete(id, "test"));
        a().useTransaction(tx -> tx.table(WIDGETS).insert(widget("phoenix")));
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).restore(id)))
                .isInstanceOfSatisfying(UniqueViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("widgets_name_live_key"));
    }

    @Test
    void namesAreUniqueAmongLiveRowsOnlyAndPerTenant() {
        a().useTransaction(tx -> tx.table(WIDGETS).insert(widget("bolt")));
        b().useTransaction(tx -> tx.table(WIDGETS).insert(widget("bolt"))); // another tenant: fine

        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).insert(widget("bolt"))))
                .isInstanceOfSatisfying(UniqueViolationException.class, e -> {
                    assertThat(e.constraint()).isEqualTo("widgets_name_live_key");
                    assertThat(e.table()).isEqualTo("widgets");
                });

        a().useTransaction(tx -> {
            UUID live = tx.table(WIDGETS).list(WIDGETS.NAME.eq("bolt"), PageRequest.first(10)).items().getFirst().getId();
            tx.table(WIDGETS).softDelete(live, "replaced");
            tx.table(WIDGETS).insert(widget("bolt"));
        });
        a().useTransaction(tx -> {
            assertThat(tx.table(WIDGETS).count(WIDGETS.NAME.eq("bolt"))).isEqualTo(1);
            assertThat(tx.table(WIDGETS).withDeleted().count(WIDGETS.NAME.eq("bolt"))).isEqualTo(2);
        });
    }

    @Test
    void upsertNamesItsConflictTargetAndPredicate() {
        WidgetsRecord inserted = a().inTransaction(tx -> tx.table(WIDGETS).upsert(widget("nut").setQuantity(1), WIDGETS.NAME));
        WidgetsRecord updated = a().inTransaction(tx -> tx.table(WIDGETS).upsert(widget("nut").setQuantity(9), WIDGETS.NAME));

        assertThat(updated.getId()).isEqualTo(inserted.getId());
        assertThat(updated.getQuantity()).isEqualTo(9);
        long v5 = a().inTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("nut")));
        assertThat(v5).isEqualTo(1);

        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).upsert(widget("x").setQuantity(1), WIDGETS.COLOR)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("conflict target");
    }

    @Test
    void purgeNeedsTheSystemScope() {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("doomed")).getId());
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).purge(id)))
                .isInstanceOf(PermissionDeniedException.class);

        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.table(WIDGETS).purge(id));
        Optional<WidgetsRecord> v6 = a().inTransaction(tx -> tx.table(WIDGETS).withDeleted().find(id));
        assertThat(v6).isEmpty();
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.table(WIDGETS).purge(id)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void keysetPagingVisitsEveryRowOnceInCreationOrder() {
        List<UUID> inserted = a().inTransaction(tx -> {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                ids.add(tx.table(WIDGETS).insert(widget("w" + i)).getId());
            }
            return ids;
        });
        b().useTransaction(tx -> tx.table(WIDGETS).insert(widget("not-a's")));

        List<UUID> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Optional<PageRequest> request = Optional.of(PageRequest.first(50));
        while (request.isPresent()) {
            PageRequest current = request.get();
            Page<WidgetsRecord> page = a().inTransaction(tx -> tx.table(WIDGETS).list(DSL.noCondition(), current));
            page.items().forEach(w -> seen.add(w.getId()));
            sizes.add(page.items().size());
            request = page.next();
        }
        assertThat(sizes).containsExactly(50, 50, 20);
        assertThat(seen).containsExactlyElementsOf(inserted);
        assertThat(new HashSet<>(seen)).hasSize(120);
        assertThatThrownBy(() -> PageRequest.first(0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void badInputGetsATypedErrorNamingTheConstraintAndWritesNothing() {
        assertThatThrownBy(() -> a().useTransaction(tx -> {
            tx.table(WIDGETS).insert(widget("fine"));
            tx.table(WIDGETS).insert(widget("negative").setQuantity(-1));
        }))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("widgets_quantity_non_negative"));
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(WIDGETS).insert(widget("nul\u0000byte"))))
                .isInstanceOf(InvalidInputException.class);
        long v7 = a().inTransaction(tx -> tx.table(WIDGETS).withDeleted().count(DSL.noCondition()));
        assertThat(v7)
                .describedAs("the whole transaction rolled back").isZero();
    }

    @Test
    void aTableWithoutSoftDeleteOrVersionGetsWhatItsColumnsAllow() {
        GadgetsRecord gadget = a().inTransaction(tx -> tx.table(GADGETS).insert(new GadgetsRecord().setLabel("lamp")));
        GadgetsRecord renamed = a().inTransaction(tx -> {
            GadgetsRecord read = tx.table(GADGETS).get(gadget.getId());
            return tx.table(GADGETS).update(read.setLabel("torch"));
        });
        assertThat(renamed.getLabel()).isEqualTo("torch");
        assertThatThrownBy(() -> a().useTransaction(tx -> tx.table(GADGETS).softDelete(gadget.getId(), "x")))
                .isInstanceOf(SentinelException.class)
                .hasMessageContaining("no deleted_at column");
        Optional<GadgetsRecord> v8 = b().inTransaction(tx -> tx.table(GADGETS).find(gadget.getId()));
        assertThat(v8).isEmpty();
    }
}

