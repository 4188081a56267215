package dev.sentinel.agency.internal.billing;

import dev.sentinel.agency.billing.Money;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What the billing repositories ({@link ClientsImpl}, {@link InvoicesImpl}, {@link LedgerImpl})
 * share, so that each conversion has one place: times to and from the database, stored amounts at
 * their currency's scale, and the longest reason. Argument checks, the tenant and the permission
 * check are {@link dev.sentinel.agency.internal.Checks}. Stateless.
 */
final class Billing {

    /** The longest reason for a deletion or a void, as the columns' CHECKs allow. */
    static final int MAX_REASON = 1000;

    private Billing() {
    }

    /** The service's time, to the microsecond that PostgreSQL keeps. */
    static Instant now(Tx tx) {
        return tx.now().toInstant();
    }

    /** An instant as the {@code timestamptz} value jOOQ binds. */
    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A {@code timestamptz} value as read. */
    static Instant instant(OffsetDateTime time) {
        return Checks.instant(time);
    }

    /** A stored amount ({@code numeric(20,4)}) at its currency's scale: 1.0100 EUR reads as 1.01. */
    static BigDecimal scaled(BigDecimal amount, String currency) {
        return amount.setScale(Money.scale(currency), Money.ROUNDING);
    }
}
