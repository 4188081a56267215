package dev.sentinel.agency.projects;

import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;

/** The checks that {@link NewProject} and {@link ProjectChange} share, mirroring the table's CHECKs. */
final class ProjectRules {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 10_000;

    private ProjectRules() {
    }

    static void validate(String where, String slug, String name, String description, LocalDate startsOn, LocalDate endsOn,
            BigDecimal budgetAmount, String currency) {
        Checks.matches(slug, Checks.SLUG, where, "slug",
                "1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit");
        Checks.text(name, where, "name", MAX_NAME);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException(where + ": description is longer than " + MAX_DESCRIPTION + " characters");
        }
        Checks.period(startsOn, endsOn, where);
        Checks.optionalNonNegative(budgetAmount, where, "budget_amount");
        Checks.optionalCurrency(currency, where, "currency");
        if (budgetAmount != null && currency == null) {
            throw new InvalidInputException(where + ": a budget_amount needs its currency");
        }
    }
}
