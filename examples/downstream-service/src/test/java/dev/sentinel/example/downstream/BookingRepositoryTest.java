package dev.sentinel.example.downstream;

import static dev.sentinel.example.downstream.db.Tables.BOOKINGS;
import static dev.sentinel.example.downstream.db.Tables.STRATEGIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.example.downstream.PipelineRepository.StageSpec;
import dev.sentinel.example.downstream.db.enums.BookingsBookingType;
import dev.sentinel.example.downstream.db.enums.BookingsStatus;
import dev.sentinel.example.downstream.db.enums.PipelineItemsPriority;
import dev.sentinel.example.downstream.db.enums.PipelinesType;
import dev.sentinel.example.downstream.db.tables.records.BookingsRecord;
import dev.sentinel.example.downstream.db.tables.records.PipelineItemsRecord;
import dev.sentinel.example.downstream.db.tables.records.StrategiesRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Strategies through the generic repository, bookings through the service's own rules. */
class BookingRepositoryTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations(SalesService.MIGRATIONS).build();

    private static final OffsetDateTime MONDAY_TEN = OffsetDateTime.of(2026, 11, 30, 10, 0, 0, 0, ZoneOffset.ofHours(1));

    private static Sentinel sentinel;

    private UUID acme;
    private Actor alice;
    private StrategiesRecord strategy;

    @BeforeAll
    static void start() {
        sentinel = SalesService.start(db.appDataSource(), db.systemDataSource(), db.ownerDataSource());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void tenantWithAStrategy() {
        acme = SalesFixture.tenant(sentinel);
        UUID aliceId = SalesFixture.member(sentinel, acme);
        alice = Actor.user(aliceId);
        strategy = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(STRATEGIES).insert(new StrategiesRecord()
                .setName("Inbound demo requests")
                .setAgentName("Ava")
                .setAgentRole("Books product demos for inbound leads")
                .setConversationTone("Friendly, brief, no jargon")
                .setQualificationQuestions("Team size? Current tool? Timeline?")
                .setClosingStrategy("Offer two demo slots this week")
                .setDelayMinSeconds(30)
                .setDelayMaxSeconds(120)
                .setOwnerId(aliceId)));
    }

    private BookingsRecord book() {
        return sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.attach(BookingRepository.class).book(strategy.getId(), null, BookingsBookingType.DEMO, MONDAY_TEN, Duration.ofMinutes(30)));
    }

    @Test
    void theGenericRepositoryWritesTheServicesOwnTable() {
        assertThat(strategy.getTenantId()).isEqualTo(acme);
        assertThat(strategy.getId()).describedAs("a UUIDv7 generated in Java").satisfies(id -> assertThat(id.version()).isEqualTo(7));
        assertThat(strategy.getIsActive()).isTrue();
        assertThat(strategy.getMetadata()).isEqualTo(JSONB.valueOf("{}"));
        assertThat(strategy.getVersion()).isZero();
        assertThat(strategy.getCreatedAt()).isNotNull();
    }

    @Test
    void aBookingForAPipelineItemIsPendingUntilConfirmedThenCompleted() {
        PipelineItemsRecord card = sentinel.tenant(acme, alice).inTransaction(tx -> {
            PipelineRepository board = tx.attach(PipelineRepository.class);
            board.create("sales", "Sales", PipelinesType.SALES, List.of(StageSpec.open("lead", "Lead"), StageSpec.terminal("won", "Won")));
            return board.addItem("sales", "Globex: demo", PipelineItemsPriority.HIGH);
        });

        BookingsRecord demo = sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(BookingRepository.class).book(strategy.getId(),
                card.getId(), BookingsBookingType.DEMO, MONDAY_TEN, Duration.ofMinutes(45)));
        assertThat(demo.getStatus()).isEqualTo(BookingsStatus.PENDING);
        assertThat(demo.getItemId()).isEqualTo(card.getId());
        assertThat(demo.getEndsAt().toInstant()).isEqualTo(MONDAY_TEN.plusMinutes(45).toInstant());

        BookingsRecord held = sentinel.tenant(acme, alice).inTransaction(tx -> {
            BookingRepository bookings = tx.attach(BookingRepository.class);
            bookings.confirm(demo.getId());
            return bookings.complete(demo.getId());
        });
        assertThat(held.getStatus()).isEqualTo(BookingsStatus.COMPLETED);

        List<AuditEntry> trail = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.bookings", demo.getId()), 10).entries());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "update", "insert");
        assertThat(trail.get(0).diff()).contains("\"completed\"");
    }

    @Test
    void aFinishedBookingCannotChangeAndTheFailedAttemptWritesNothing() {
        BookingsRecord booking = book();
        sentinel.tenant(acme, alice).useTransaction(tx -> tx.attach(BookingRepository.class).cancel(booking.getId(), "the lead went quiet"));

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(BookingRepository.class).confirm(booking.getId())))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("is cancelled; only a pending booking can become confirmed");
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(BookingRepository.class).complete(booking.getId())))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("only a confirmed booking can become completed");

        BookingsRecord after = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(BOOKINGS).get(booking.getId()));
        assertThat(after.getStatus()).isEqualTo(BookingsStatus.CANCELLED);
        assertThat(after.getCancelReason()).isEqualTo("the lead went quiet");
        assertThat(after.getVersion()).describedAs("one update: the cancellation").isEqualTo(1);
    }

    @Test
    void aCancellationNeedsAReason() {
        BookingsRecord booking = book();

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(BookingRepository.class).cancel(booking.getId(), " ")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs a reason");
        // The table says so too, for SQL that bypasses the repository.
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).useTransaction(tx -> tx.dsl().update(BOOKINGS)
                .set(BOOKINGS.STATUS, BookingsStatus.CANCELLED)
                .where(BOOKINGS.ID.eq(booking.getId()))
                .execute()))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("bookings_cancel_reason_check"));
    }

    @Test
    void aBookingLastsFromFiveMinutesToEightHours() {
        for (Duration length : List.of(Duration.ofMinutes(4), Duration.ofHours(9), Duration.ZERO.minusMinutes(30))) {
            assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(BookingRepository.class).book(strategy.getId(),
                    null, BookingsBookingType.CALL, MONDAY_TEN, length)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("from 5 minutes to 8 hours");
        }
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(BookingRepository.class).book(strategy.getId(),
                null, BookingsBookingType.CALL, null, Duration.ofMinutes(30))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a type and a start time");
        long bookings = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(BOOKINGS).count(DSL.noCondition()));
        assertThat(bookings).isZero();
    }

    @Test
    void aPausedOrDeletedStrategyBooksNothing() {
        sentinel.tenant(acme, alice).useTransaction(tx -> tx.table(STRATEGIES).update(tx.table(STRATEGIES).get(strategy.getId()).setIsActive(false)));
        assertThatThrownBy(this::book)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'Inbound demo requests' is paused");

        sentinel.tenant(acme, alice).useTransaction(tx -> tx.table(STRATEGIES).softDelete(strategy.getId(), "merged into outbound"));
        assertThatThrownBy(this::book)
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No live strategy");
    }

    @Test
    void anotherTenantCannotBookThroughThisTenantsStrategyNorSeeItsBookings() {
        BookingsRecord booking = book();
        UUID globex = SalesFixture.tenant(sentinel);
        Actor bob = Actor.user(SalesFixture.member(sentinel, globex));

        sentinel.tenant(globex, bob).useTransaction(tx -> {
            assertThatThrownBy(() -> tx.attach(BookingRepository.class).book(strategy.getId(), null, BookingsBookingType.CALL, MONDAY_TEN,
                    Duration.ofMinutes(15))).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> tx.attach(BookingRepository.class).cancel(booking.getId(), "not yours")).isInstanceOf(NotFoundException.class);
            assertThat(tx.dsl().fetchCount(BOOKINGS)).isZero();
        });
        // Even raw SQL that names the other tenant's strategy cannot point a booking at it: the
        // composite foreign key (tenant_id, strategy_id) looks for the strategy in globex's rows.
        assertThatThrownBy(() -> sentinel.tenant(globex, bob).useTransaction(tx -> tx.dsl().insertInto(BOOKINGS)
                .set(BOOKINGS.TENANT_ID, globex)
                .set(BOOKINGS.ID, UUID.randomUUID())
                .set(BOOKINGS.STRATEGY_ID, strategy.getId())
                .set(BOOKINGS.BOOKING_TYPE, BookingsBookingType.CALL)
                .set(BOOKINGS.STARTS_AT, MONDAY_TEN)
                .set(BOOKINGS.ENDS_AT, MONDAY_TEN.plusMinutes(15))
                .execute()))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("bookings_strategy_fkey"));
    }
}
