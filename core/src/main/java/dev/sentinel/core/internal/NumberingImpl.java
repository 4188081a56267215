package dev.sentinel.core.internal;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Numbering;
import dev.sentinel.core.Tx;
import java.util.regex.Pattern;

/** {@link Numbering} over {@code sentinel.next_number} and {@code sentinel.number_counters}. */
final class NumberingImpl implements Numbering {

    private static final Pattern SERIES = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}");
    private static final Pattern PERIOD = Pattern.compile("[A-Za-z0-9_.-]{0,32}");

    private final Tx tx;

    NumberingImpl(Tx tx) {
        this.tx = tx;
    }

    @Override
    public long next(String series, String period) {
        check("next", series, period);
        tx.requireTenantId("tx.numbering().next");
        return tx.dsl().fetchSingle("select sentinel.next_number(?, ?)", series, period).get(0, Long.class);
    }

    @Override
    public long last(String series, String period) {
        check("last", series, period);
        return tx.dsl().fetchSingle("select coalesce((select last_value from sentinel.number_counters"
                        + " where tenant_id = ? and series = ? and period = ?), 0)",
                tx.requireTenantId("tx.numbering().last"), series, period).get(0, Long.class);
    }

    private static void check(String operation, String series, String period) {
        if (series == null || !SERIES.matcher(series).matches()) {
            throw new InvalidInputException("numbering()." + operation + ": series '" + series + "' is not a series name"
                    + " (letters, digits and _ . : -, starting with a letter or digit, at most 63 characters)");
        }
        if (period == null || !PERIOD.matcher(period).matches()) {
            throw new InvalidInputException("numbering()." + operation + ": period '" + period + "' is not a period"
                    + " (letters, digits and _ . -, at most 32 characters; empty for a counter that never restarts)");
        }
    }
}
