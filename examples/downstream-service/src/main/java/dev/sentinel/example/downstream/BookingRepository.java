package dev.sentinel.example.downstream;

import static dev.sentinel.example.downstream.db.Tables.BOOKINGS;
import static dev.sentinel.example.downstream.db.Tables.PIPELINE_ITEMS;
import static dev.sentinel.example.downstream.db.Tables.STRATEGIES;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Tx;
import dev.sentinel.example.downstream.db.enums.BookingsBookingType;
import dev.sentinel.example.downstream.db.enums.BookingsStatus;
import dev.sentinel.example.downstream.db.tables.records.BookingsRecord;
import dev.sentinel.example.downstream.db.tables.records.StrategiesRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Bookings made through a strategy, for one tenant, inside one transaction. Strategies themselves
 * need no rules beyond the table's, so the service writes them with the generic repository
 * ({@code tx.table(STRATEGIES)}); bookings have these:
 *
 * <ul>
 *   <li>only a live, active strategy books, and a booking for a pipeline item needs a live item;</li>
 *   <li>a booking lasts from 5 minutes to 8 hours;</li>
 *   <li>its status moves pending → confirmed → completed, or from pending or confirmed to
 *       cancelled, with a reason; nothing leaves completed or cancelled.</li>
 * </ul>
 *
 * <p>A broken rule throws a {@link dev.sentinel.core.SentinelException} subclass before anything is
 * written. Reach it with {@code tx.attach(BookingRepository.class)} (registered in
 * {@link SalesService#start}), one per transaction. Not thread-safe.
 */
public final class BookingRepository {

    /** The shortest booking. */
    public static final Duration MIN_LENGTH = Duration.ofMinutes(5);

    /** The longest booking. */
    public static final Duration MAX_LENGTH = Duration.ofHours(8);

    private final Tx tx;

    /**
     * A repository bound to a transaction in a tenant scope.
     *
     * @param tx the transaction
     * @throws MissingScopeException if {@code tx} is the system scope
     */
    public BookingRepository(Tx tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
        tx.requireTenantId("BookingRepository");
    }

    /**
     * Books an appointment through a strategy, pending until confirmed.
     *
     * @param strategyId the strategy that produced it
     * @param itemId the pipeline item (the lead's card) it is for, or {@code null}
     * @param type call, meeting or demo
     * @param startsAt when it starts
     * @param length how long it lasts, {@link #MIN_LENGTH} to {@link #MAX_LENGTH}
     * @return the new booking
     * @throws InvalidInputException if the type or start is missing, the length is out of range, or the strategy is paused
     * @throws NotFoundException if the strategy or the item is not a live one of this tenant
     */
    public BookingsRecord book(UUID strategyId, UUID itemId, BookingsBookingType type, OffsetDateTime startsAt, Duration length) {
        if (startsAt == null || type == null) {
            throw new InvalidInputException("A booking needs a type and a start time; pass both");
        }
        if (length == null || length.compareTo(MIN_LENGTH) < 0 || length.compareTo(MAX_LENGTH) > 0) {
            throw new InvalidInputException("A booking lasts from " + MIN_LENGTH.toMinutes() + " minutes to "
                    + MAX_LENGTH.toHours() + " hours, not " + length + "; split a longer one");
        }
        StrategiesRecord strategy = tx.table(STRATEGIES).find(strategyId)
                .orElseThrow(() -> new NotFoundException("No live strategy " + strategyId + " in this tenant; check the id,"
                        + " or restore the strategy if it was deleted"));
        if (!strategy.getIsActive()) {
            throw new InvalidInputException("Strategy '" + strategy.getName() + "' is paused and books nothing;"
                    + " activate it first, or book through another strategy");
        }
        if (itemId != null && tx.table(PIPELINE_ITEMS).find(itemId).isEmpty()) {
            throw new NotFoundException("No live pipeline item " + itemId + " in this tenant; book without an item,"
                    + " or check the id");
        }
        return tx.table(BOOKINGS).insert(new BookingsRecord()
                .setStrategyId(strategyId)
                .setItemId(itemId)
                .setBookingType(type)
                .setStartsAt(startsAt)
                .setEndsAt(startsAt.plus(length)));
    }

    /**
     * Confirms a pending booking.
     *
     * @param bookingId the booking
     * @return the booking as stored
     * @throws NotFoundException if there is no such booking in this tenant
     * @throws InvalidStateTransitionException if it is not pending
     */
    public BookingsRecord confirm(UUID bookingId) {
        return moveTo(bookingId, BookingsStatus.CONFIRMED, EnumSet.of(BookingsStatus.PENDING), null);
    }

    /**
     * Marks a confirmed booking as held.
     *
     * @param bookingId the booking
     * @return the booking as stored
     * @throws NotFoundException if there is no such booking in this tenant
     * @throws InvalidStateTransitionException if it is not confirmed
     */
    public BookingsRecord complete(UUID bookingId) {
        return moveTo(bookingId, BookingsStatus.COMPLETED, EnumSet.of(BookingsStatus.CONFIRMED), null);
    }

    /**
     * Cancels a pending or confirmed booking. The row stays, with the reason.
     *
     * @param bookingId the booking
     * @param reason why, 1 to 1000 characters
     * @return the booking as stored
     * @throws InvalidInputException if the reason is blank or too long
     * @throws NotFoundException if there is no such booking in this tenant
     * @throws InvalidStateTransitionException if it is completed or cancelled already
     */
    public BookingsRecord cancel(UUID bookingId, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 1000) {
            throw new InvalidInputException("A cancellation needs a reason of 1 to 1000 characters; say why the booking is off");
        }
        return moveTo(bookingId, BookingsStatus.CANCELLED, EnumSet.of(BookingsStatus.PENDING, BookingsStatus.CONFIRMED), reason);
    }

    private BookingsRecord moveTo(UUID bookingId, BookingsStatus target, Set<BookingsStatus> from, String reason) {
        BookingsRecord booking = tx.table(BOOKINGS).get(bookingId);
        if (!from.contains(booking.getStatus())) {
            throw new InvalidStateTransitionException("Booking " + bookingId + " is " + booking.getStatus().literal()
                    + "; only a " + from.stream().map(BookingsStatus::literal).collect(Collectors.joining(" or "))
                    + " booking can become " + target.literal());
        }
        booking.setStatus(target);
        if (reason != null) {
            booking.setCancelReason(reason);
        }
        return tx.table(BOOKINGS).update(booking);
    }
}
