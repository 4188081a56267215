package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ProjectStatus;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/**
 * A project to create with {@link Projects#create}. Validated when made; the database checks the same
 * rules. Immutable and thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Project site = tx.attach(Projects.class).create(NewProject.of("website", "Website relaunch")
 *         .withBudget(new BigDecimal("20000.00"), "EUR"));
 * }</pre>
 *
 * @param slug URL-safe, unique among the tenant's live projects: 1 to 63 lower-case letters, digits
 *     and hyphens, starting with a letter or digit
 * @param name 1 to 200 characters, not blank
 * @param description up to 10,000 characters, or {@code null}
 * @param status planned, active or on_hold
 * @param startsOn the first day, or {@code null}
 * @param endsOn the last day (not before {@code startsOn}), or {@code null}
 * @param budgetAmount the budget, at least 0, or {@code null}
 * @param currency the ISO 4217 currency of the budget and of the members' rates; required with a budget
 */
public record NewProject(String slug, String name, String description, ProjectStatus status, LocalDate startsOn,
        LocalDate endsOn, BigDecimal budgetAmount, String currency) {

    private static final Set<ProjectStatus> INITIAL = EnumSet.of(ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD);

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewProject {
        ProjectRules.validate("NewProject", slug, name, description, startsOn, endsOn, budgetAmount, currency);
        if (status == null || !INITIAL.contains(status)) {
            throw new InvalidInputException("NewProject: a new project is planned, active or on_hold, not "
                    + (status == null ? "null" : status.literal()));
        }
    }

    /**
     * A planned project with a slug and a name and nothing else.
     *
     * @param slug the slug
     * @param name the name
     * @return the details
     */
    public static NewProject of(String slug, String name) {
        return new NewProject(slug, name, null, ProjectStatus.PLANNED, null, null, null, null);
    }

    /**
     * Sets the slug.
     *
     * @param value 1 to 63 lower-case letters, digits and hyphens
     * @return a validated copy
     */
    public NewProject withSlug(String value) {
        return new NewProject(value, name, description, status, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public NewProject withName(String value) {
        return new NewProject(slug, value, description, status, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the description.
     *
     * @param value up to 10,000 characters, or {@code null}
     * @return a validated copy
     */
    public NewProject withDescription(String value) {
        return new NewProject(slug, name, value, status, startsOn, endsOn, budgetAmount, currency);
    }

    /**
     * Sets the period.
     *
     * @param first the first day, or {@code null}
     * @param last the last day, not before the first, or {@code null}
     * @return a validated copy
     */
    public NewProject withPeriod(LocalDate first, LocalDate last) {
        return new NewProject(slug, name, description, status, first, last, budgetAmount, currency);
    }

    /**
     * Sets the budget.
     *
     * @param amount at least 0, or {@code null}
     * @param currencyCode ISO 4217, required with an amount
     * @return a validated copy
     */
    public NewProject withBudget(BigDecimal amount, String currencyCode) {
        return new NewProject(slug, name, description, status, startsOn, endsOn, amount, currencyCode);
    }

    /**
     * Sets the currency of the budget and of the members' rates.
     *
     * @param value ISO 4217, or {@code null}
     * @return a validated copy
     */
    public NewProject withCurrency(String value) {
        return new NewProject(slug, name, description, status, startsOn, endsOn, budgetAmount, value);
    }

    /**
     * Sets the initial status.
     *
     * @param value planned, active or on_hold
     * @return a validated copy
     */
    public NewProject withStatus(ProjectStatus value) {
        return new NewProject(slug, name, description, value, startsOn, endsOn, budgetAmount, currency);
    }
}
