package dev.sentinel.agency.projects;

import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The new details of a project for {@link Projects#update}, which replaces every one of them: start
 * from {@link Project#change()} (the details as they are) and change what differs. The status changes
 * only through {@link Projects#changeStatus}. Validated when made; the database checks the same rules.
 * Immutable and thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Project renamed = projects.update(site.id(), site.version(), site.change().withName("Website 2027"));
 * }</pre>
 *
 * @param slug URL-safe, unique among the tenant's live projects: 1 to 63 lower-case letters, digits
 *     and hyphens, starting with a letter or digit
 * @param name 1 to 200 characters, not blank
 * @param description up to 10,000 characters, or {@code null}
 * @param startsOn the first day, or {@code null}
 * @param endsOn the last day (not before {@code startsOn}), or {@code null}
 * @param budgetAmount the budget, at least 0, or {@code null}
 * @param currency the ISO 4217 currency of the budget and of the members' rates; required with a budget
 */
public record ProjectChange(String slug, String name, String description, LocalDate startsOn, LocalDate endsOn,
        BigDecimal budgetAmount, String currency) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public ProjectChange {
        ProjectRules.validate("ProjectChange", slug, name, description, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the slug.
     *
     * @param value 1 to 63 lower-case letters, digits and hyphens
     * @return a validated copy
     */
    public ProjectChange withSlug(String value) {
        return new ProjectChange(value, name, description, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public ProjectChange withName(String value) {
        return new ProjectChange(slug, value, description, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the description.
     *
     * @param value up to 10,000 characters, or {@code null}
     * @return a validated copy
     */
    public ProjectChange withDescription(String value) {
        return new ProjectChange(slug, name, value, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the period.
     *
     * @param first the first day, or {@code null}
     * @param last the last day, not before the first, or {@code null}
     * @return a validated copy
     */
    public ProjectChange withPeriod(LocalDate first, LocalDate last) {
        return new ProjectChange(slug, name, description, first, last, budgetAmount, currency);
    }

    /**
     * Sets the budget.
     *
     * @param amount at least 0, or {@code null}
     * @param currencyCode ISO 4217, required with an amount
     * @return a validated copy
     */
    public ProjectChange withBudget(BigDecimal amount, String currencyCode) {
        return new ProjectChange(slug, name, description, startsOn, endsOn, amount, currencyCode);
    }

    /**
     * Sets the currency of the budget and of the members' rates.
     *
     * @param value ISO 4217, or {@code null}
     * @return a validated copy
     */
    public ProjectChange withCurrency(String value) {
        return new ProjectChange(slug, name, description, startsOn, endsOn, budgetAmount, value);
    }
}
