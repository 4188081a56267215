package dev.sentinel.agency.internal.billing;

import dev.sentinel.agency.billing.Money;
import java.math.BigDecimal;

/**
 * What the billing repositories ({@link ClientsImpl}, {@link InvoicesImpl}, {@link LedgerImpl})
 * share: stored amounts at their currency's scale, and the longest reason. Times to and from the
 * database, argument checks and the permission check are {@link dev.sentinel.agency.internal.Checks}.
 * Stateless.
 */
final class Billing {

    /** The longest reason for a deletion or a void, as the columns' CHECKs allow. */
    static final int MAX_REASON = 1000;

    private Billing() {
    }

    /** A stored amount ({@code numeric(20,4)}) at its currency's scale: 1.0100 EUR reads as 1.01. */
    static BigDecimal scaled(BigDecimal amount, String currency) {
        return amount.setScale(Money.scale(currency), Money.ROUNDING);
    }
}
