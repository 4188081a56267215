package dev.sentinel.agency.projects;

import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;

/** The checks that {@link NewTimeEntry} and {@link TimeEntryChange} share, mirroring the table's CHECKs. */
final class TimeEntryRules {

    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_MINUTES = 1440;

    private TimeEntryRules() {
    }

    static void validate(String where, LocalDate workDate, int durationMinutes, String description, BigDecimal hourlyRate,
            String currency) {
        Checks.required(workDate, where, "work_date");
        if (durationMinutes < 1 || durationMinutes > MAX_MINUTES) {
            throw new InvalidInputException(where + ": duration_minutes " + durationMinutes + " is outside 1.." + MAX_MINUTES
                    + " (one day); book longer work as one entry per day");
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException(where + ": description is longer than " + MAX_DESCRIPTION + " characters");
        }
        if ((hourlyRate == null) != (currency == null)) {
            throw new InvalidInputException(where + ": hourly_rate and currency go together; set both or neither");
        }
        Checks.optionalNonNegative(hourlyRate, where, "hourly_rate");
        Checks.optionalCurrency(currency, where, "currency");
    }
}
