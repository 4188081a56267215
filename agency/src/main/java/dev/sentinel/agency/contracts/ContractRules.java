package dev.sentinel.agency.contracts;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;

/** The checks that {@link NewContract} and {@link ContractChange} share, mirroring the table's CHECKs. */
final class ContractRules {

    static final int MAX_TITLE = 300;

    private ContractRules() {
    }

    static void validate(String where, String title, LocalDate startsOn, LocalDate endsOn) {
        if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
            throw new InvalidInputException(where + ": title must have 1 to " + MAX_TITLE + " characters and not be blank"
                    + (title == null ? " (it is missing)" : ""));
        }
        if (startsOn != null && endsOn != null && endsOn.isBefore(startsOn)) {
            throw new InvalidInputException(where + ": ends_on " + endsOn + " is before starts_on " + startsOn);
        }
    }
}
