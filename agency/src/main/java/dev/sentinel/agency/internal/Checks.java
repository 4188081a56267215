package dev.sentinel.agency.internal;

import dev.sentinel.agency.projects.Projects;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Argument checks, the tenant and the permission check shared by the domain repositories (one place:
 * every repository of the agency uses these, none keeps its own copy). Each check throws
 * {@link InvalidInputException} naming the operation, the field and the remedy, before anything is
 * written. Stateless.
 */
public final class Checks {

    /** A URL-safe short name, as the slug and key CHECK constraints allow. */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** An ISO 4217 code, as the currency CHECK constraints allow. */
    public static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private Checks() {
    }

    /**
     * Requires a permission of the transaction's actor, narrowed to a project where there is one.
     *
     * @param tx the transaction
     * @param permission the permission key, such as {@code project:update}
     * @param projectId the project the operation concerns, or {@code null}
     */
    public static void authorize(Tx tx, String permission, UUID projectId) {
        if (projectId == null) {
            tx.authorize(permission);
        } else {
            tx.authorize(permission, Projects.resource(projectId));
        }
    }

    /**
     * Requires a non-null argument.
     *
     * @param value the argument
     * @param operation the operation, such as {@code "assign"}
     * @param name the argument's name
     * @param <T> its type
     * @return the value
     */
    public static <T> T required(T value, String operation, String name) {
        if (value == null) {
            throw new InvalidInputException(operation + ": " + name + " is required");
        }
        return value;
    }

    /**
     * Requires text of 1 to {@code max} characters that is not blank.
     *
     * @param value the text
     * @param operation the operation
     * @param name the field
     * @param max the longest allowed
     * @return the text
     */
    public static String text(String value, String operation, String name, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new InvalidInputException(operation + ": " + name + " must have 1 to " + max + " characters and not be blank"
                    + (value == null ? " (it is missing)" : ""));
        }
        return value;
    }

    /**
     * Allows null, else requires text of 1 to {@code max} characters that is not blank.
     *
     * @param value the text, or null
     * @param operation the operation
     * @param name the field
     * @param max the longest allowed
     */
    public static void optionalText(String value, String operation, String name, int max) {
        if (value != null) {
            text(value, operation, name, max);
        }
    }

    /**
     * Requires a value matching a pattern.
     *
     * @param value the value
     * @param pattern the pattern
     * @param operation the operation
     * @param name the field
     * @param shape what a valid value looks like, for the message
     * @return the value
     */
    public static String matches(String value, Pattern pattern, String operation, String name, String shape) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidInputException(operation + ": " + name + " '" + value + "' must be " + shape);
        }
        return value;
    }

    /**
     * Allows null, else requires a three-letter ISO 4217 code.
     *
     * @param value the code, or null
     * @param operation the operation
     * @param name the field
     */
    public static void optionalCurrency(String value, String operation, String name) {
        if (value != null) {
            matches(value, CURRENCY, operation, name, "an ISO 4217 code of three capital letters, such as EUR");
        }
    }

    /**
     * Allows null, else requires an amount of at least zero.
     *
     * @param value the amount, or null
     * @param operation the operation
     * @param name the field
     */
    public static void optionalNonNegative(BigDecimal value, String operation, String name) {
        if (value != null && value.signum() < 0) {
            throw new InvalidInputException(operation + ": " + name + " " + value.toPlainString() + " is negative");
        }
    }

    /**
     * Requires that a period does not end before it starts.
     *
     * @param startsOn the first day, or null
     * @param endsOn the last day, or null
     * @param operation the operation
     */
    public static void period(LocalDate startsOn, LocalDate endsOn, String operation) {
        if (startsOn != null && endsOn != null && endsOn.isBefore(startsOn)) {
            throw new InvalidInputException(operation + ": ends_on " + endsOn + " is before starts_on " + startsOn);
        }
    }

    /**
     * A stored time as an instant.
     *
     * @param time the time, or null
     * @return the instant, or null
     */
    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /**
     * An instant as the {@code timestamptz} value jOOQ binds.
     *
     * @param instant the instant, or null
     * @return the time in UTC, or null
     */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
