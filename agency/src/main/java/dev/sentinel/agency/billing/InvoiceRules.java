package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.util.UUID;
import java.util.regex.Pattern;

/** The checks that {@link NewInvoice} and {@link InvoiceChange} share, mirroring the table's CHECKs. */
final class InvoiceRules {

    private static final Pattern SERIES = Pattern.compile("[A-Z0-9]{1,10}");

    private InvoiceRules() {
    }

    static void validate(UUID clientId, String currency, String series) {
        if (clientId == null) {
            throw new InvalidInputException("draft: the client is missing; create one with tx.attach(Clients.class).create(...)");
        }
        Money.requireCurrency(currency);
        if (series != null && !SERIES.matcher(series).matches()) {
            throw new InvalidInputException("draft: series '" + series + "' must be 1 to 10 upper-case letters or digits,"
                    + " such as INV");
        }
    }
}
