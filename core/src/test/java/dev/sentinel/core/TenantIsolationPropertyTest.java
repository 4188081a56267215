package dev.sentinel.core;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.impl.DSL;

/**
 * Random operations by several tenants, through the repository and through raw SQL on
 * {@code tx.dsl()}, with targets drawn deliberately from every tenant's rows: no operation may
 * observe or change a row of another tenant. A model of what each tenant owns is checked after
 * every operation and against the whole table at the end. jqwik prints the seed of a failing run.
 */
class TenantIsolationPropertyTest {

    private static final int TENANTS = 5;
    private static final AtomicLong OPERATIONS = new AtomicLong();

    private static SentinelDatabase db;
    private static Sentinel sentinel;
    private static boolean citus;

    enum Kind {
        INSERT, INSERT_FOR_OTHER_TENANT, FIND, UPDATE, SOFT_DELETE, RESTORE, LIST, COUNT,
        RAW_SELECT, RAW_UPDATE, RAW_DELETE, RAW_INSERT_FOR_OTHER_TENANT, RAW_MOVE_TO_OTHER_TENANT, UNKNOWN_ID
    }

    /** One step: who acts, what they do, which row they aim at (any tenant's), a value. */
    record Op(int actor, Kind kind, int target, int value) {
    }

    /** What the model says a row is. */
    record Row(UUID tenant, int quantity, boolean deleted) {
    }

    @BeforeContainer
    static void start() {
        db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build().start();
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        citus = ClusterCheck.isCitus(db.adminDataSource());
    }

    @AfterContainer
    static void stop() {
        System.out.println("TenantIsolationPropertyTest: " + OPERATIONS.get() + " random operations run, "
                + TENANTS + " tenants per try");
        db.close();
    }

    @AfterProperty
    void noLeaks() {
        db.assertNoConnectionLeaks("TenantIsolationPropertyTest");
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, TENANTS - 1),
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(-3, 100)).as(Op::new);
        return op.list().ofMinSize(60).ofMaxSize(160);
    }

    @Property(tries = 40)
    void noOperationObservesOrChangesAnotherTenantsRow(@ForAll("operations") List<Op> ops) {
        List<UUID> tenants = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            tenants.add(Tenants.create(sentinel));
        }
        Map<UUID, Row> model = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (Op op : ops) {
            apply(op, tenants, model, ids);
            OPERATIONS.incrementAndGet();
        }
        Map<UUID, Row> actual = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.dsl().selectFrom(WIDGETS)
                .where(WIDGETS.TENANT_ID.in(tenants)).fetch().stream()
                .collect(Collectors.toMap(WidgetsRecord::getId,
                        w -> new Row(w.getTenantId(), w.getQuantity(), w.getDeletedAt() != null))));
        assertThat(actual).describedAs("every row of these tenants, seen in the system scope").isEqualTo(model);
    }

    private static void apply(Op op, List<UUID> tenants, Map<UUID, Row> model, List<UUID> ids) {
        UUID me = tenants.get(op.actor());
        UUID other = tenants.get((op.actor() + 1 + Math.floorMod(op.value(), TENANTS - 1)) % TENANTS);
        UUID target = op.kind() == Kind.UNKNOWN_ID || ids.isEmpty() ? UUID.randomUUID() : ids.get(op.target() % ids.size());
        Row row = model.get(target);
        boolean mine = row != null && row.tenant().equals(me);
        boolean mineLive = mine && !row.deleted();
        Scope scope = sentinel.tenant(me, Actor.user(me));
        switch (op.kind()) {
            case INSERT -> {
                if (op.value() < 0) {
                    assertThatThrownBy(() -> scope.useTransaction(tx -> tx.table(WIDGETS).insert(widget(op.value()))))
                            .isInstanceOf(ConstraintViolationException.class);
                    return;
                }
                UUID id = scope.inTransaction(tx -> tx.table(WIDGETS).insert(widget(op.value())).getId());
                model.put(id, new Row(me, op.value(), false));
                ids.add(id);
            }
            case INSERT_FOR_OTHER_TENANT -> assertThatThrownBy(() -> scope.useTransaction(
                    tx -> tx.table(WIDGETS).insert(widget(1).setTenantId(other))))
                    .isInstanceOf(TenantMismatchException.class);
            case FIND, UNKNOWN_ID -> {
                Optional<WidgetsRecord> found = scope.inTransaction(tx -> tx.table(WIDGETS).find(target));
                assertThat(found.isPresent()).describedAs("find %s as %s", target, me).isEqualTo(mineLive);
                found.ifPresent(w -> assertThat(w.getQuantity()).isEqualTo(row.quantity()));
            }
            case UPDATE -> {
                int quantity = Math.abs(op.value());
                if (mineLive) {
                    int updated = scope.inTransaction(tx -> tx.table(WIDGETS)
                            .update(tx.table(WIDGETS).get(target).setQuantity(quantity)).getQuantity());
                    assertThat(updated).isEqualTo(quantity);
                    model.put(target, new Row(me, quantity, false));
                } else {
                    assertThatThrownBy(() -> scope.useTransaction(tx -> tx.table(WIDGETS)
                            .update(tx.table(WIDGETS).get(target).setQuantity(quantity))))
                            .isInstanceOf(NotFoundException.class);
                }
            }
            case SOFT_DELETE -> {
                if (mineLive) {
                    scope.useTransaction(tx -> tx.table(WIDGETS).softDelete(target, "property test"));
                    model.put(target, new Row(me, row.quantity(), true));
                } else {
                    assertThatThrownBy(() -> scope.useTransaction(tx -> tx.table(WIDGETS).softDelete(target, "x")))
                            .isInstanceOf(mine ? InvalidStateTransitionException.class : NotFoundException.class);
                }
            }
            case RESTORE -> {
                if (mine && row.deleted()) {
                    scope.useTransaction(tx -> tx.table(WIDGETS).restore(target));
                    model.put(target, new Row(me, row.quantity(), false));
                } else {
                    assertThatThrownBy(() -> scope.useTransaction(tx -> tx.table(WIDGETS).restore(target)))
                            .isInstanceOf(mine ? InvalidStateTransitionException.class : NotFoundException.class);
                }
            }
            case LIST -> {
                Set<UUID> listed = new HashSet<>();
                Optional<PageRequest> request = Optional.of(PageRequest.first(1 + Math.floorMod(op.value(), 7)));
                while (request.isPresent()) {
                    PageRequest current = request.get();
                    Page<WidgetsRecord> page = scope.inTransaction(tx -> tx.table(WIDGETS).list(DSL.noCondition(), current));
                    page.items().forEach(w -> listed.add(w.getId()));
                    request = page.next();
                }
                assertThat(listed).isEqualTo(ownIds(model, me, true));
            }
            case COUNT -> {
                long count = scope.inTransaction(tx -> tx.table(WIDGETS).withDeleted().count(DSL.noCondition()));
                assertThat(count).isEqualTo(ownIds(model, me, false).size());
            }
            case RAW_SELECT -> {
                Set<UUID> seen = scope.inTransaction(tx -> new HashSet<>(tx.dsl().select(WIDGETS.ID).from(WIDGETS).fetch(WIDGETS.ID)));
                assertThat(seen).describedAs("raw SQL without a tenant predicate: RLS").isEqualTo(ownIds(model, me, false));
            }
            case RAW_UPDATE -> {
                int quantity = Math.abs(op.value());
                int changed = scope.inTransaction(tx -> tx.dsl().update(WIDGETS).set(WIDGETS.QUANTITY, quantity)
                        .where(WIDGETS.ID.eq(target)).execute());
                assertThat(changed).isEqualTo(mine ? 1 : 0);
                if (mine) {
                    model.put(target, new Row(me, quantity, row.deleted()));
                }
            }
            case RAW_DELETE -> {
                int deleted = scope.inTransaction(tx -> tx.dsl().deleteFrom(WIDGETS).where(WIDGETS.ID.eq(target)).execute());
                assertThat(deleted).isEqualTo(mine ? 1 : 0);
                if (mine) {
                    model.remove(target);
                }
            }
            case RAW_INSERT_FOR_OTHER_TENANT -> assertThatThrownBy(() -> scope.useTransaction(tx -> tx.dsl()
                    .insertInto(WIDGETS, WIDGETS.TENANT_ID, WIDGETS.ID, WIDGETS.NAME)
                    .values(other, UUID.randomUUID(), "intruder-" + UUID.randomUUID())
                    .execute()))
                    .isInstanceOf(TenantMismatchException.class);
            case RAW_MOVE_TO_OTHER_TENANT -> {
                if (mine) {
                    assertThatThrownBy(() -> scope.useTransaction(tx -> tx.dsl().update(WIDGETS).set(WIDGETS.TENANT_ID, other)
                            .where(WIDGETS.ID.eq(target)).execute()))
                            .isInstanceOf(TenantMismatchException.class);
                } else if (citus) {
                    // Citus refuses any update that writes tenant_id, the distribution column, before a
                    // policy could hide the row: the same typed refusal, and (the model says) no change.
                    assertThatThrownBy(() -> scope.useTransaction(tx -> tx.dsl().update(WIDGETS).set(WIDGETS.TENANT_ID, me)
                            .where(WIDGETS.ID.eq(target)).execute()))
                            .describedAs("taking another tenant's row on Citus").isInstanceOf(TenantMismatchException.class);
                } else {
                    int moved = scope.inTransaction(tx -> tx.dsl().update(WIDGETS).set(WIDGETS.TENANT_ID, me)
                            .where(WIDGETS.ID.eq(target)).execute());
                    assertThat(moved).describedAs("taking another tenant's row").isZero();
                }
            }
        }
    }

    private static WidgetsRecord widget(int quantity) {
        return new WidgetsRecord().setName("w-" + UUID.randomUUID()).setQuantity(quantity);
    }

    private static Set<UUID> ownIds(Map<UUID, Row> model, UUID tenant, boolean liveOnly) {
        return model.entrySet().stream()
                .filter(e -> e.getValue().tenant().equals(tenant) && (!liveOnly || !e.getValue().deleted()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
