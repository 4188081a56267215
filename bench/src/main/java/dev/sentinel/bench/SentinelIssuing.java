package dev.sentinel.bench;

import dev.sentinel.core.Sentinel;
import java.util.function.Function;

/**
 * Sentinel's line of the invoice contention benchmark: {@code tx.invoices().issue(draftId)}.
 * Billing (issue 9) is not in this build yet, so there is no line: {@link #FACTORY} is {@code null}
 * and the report says so.
 */
final class SentinelIssuing {

    /** Makes the issuer over a Sentinel, or {@code null} while this build has no {@code issue()}. */
    static final Function<Sentinel, InvoiceContention.Issuer> FACTORY = null;

    private SentinelIssuing() {
    }
}
