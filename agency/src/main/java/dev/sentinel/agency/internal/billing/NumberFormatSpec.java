package dev.sentinel.agency.internal.billing;

import dev.sentinel.core.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed number format ({@link dev.sentinel.agency.billing.NumberSeries}). The same rules as the
 * CHECK {@code invoice_series_number_format_check}, so a format is refused here with a message
 * before the database refuses it.
 *
 * <p>Issuing renders everything but the counter in Java ({@link #prefix}, {@link #suffix}) and
 * lets the allocating statement pad the counter, so allocation and numbering are one statement.
 */
record NumberFormatSpec(String format, String before, int width, String after) {

    private static final Pattern TOKEN = Pattern.compile("\\{(series|yyyy|yy|0{1,12})\\}|[A-Za-z0-9/_.#-]");
    private static final Pattern COUNTER = Pattern.compile("\\{(0{1,12})\\}");

    static NumberFormatSpec parse(String format) {
        if (format == null || format.isEmpty() || format.length() > 60) {
            throw invalid(format, "it must be 1 to 60 characters");
        }
        int years = 0;
        int counters = 0;
        Matcher token = TOKEN.matcher(format);
        int at = 0;
        while (at < format.length()) {
            if (!token.find(at) || token.start() != at) {
                throw invalid(format, "'" + format.charAt(at) + "' at position " + (at + 1) + " is neither a letter, digit,"
                        + " / _ . # - nor one of the tokens {series}, {yyyy}, {yy}, {000000}");
            }
            String group = token.group(1);
            if ("yyyy".equals(group) || "yy".equals(group)) {
                years++;
            } else if (group != null && group.startsWith("0")) {
                counters++;
            }
            at = token.end();
        }
        if (years != 1) {
            throw invalid(format, "it needs exactly one year, {yyyy} or {yy}: every counter starts again at 1 each year,"
                    + " so numbers without the year would repeat");
        }
        if (counters != 1) {
            throw invalid(format, "it needs exactly one counter such as {000000} (as many digits as zeros)");
        }
        Matcher counter = COUNTER.matcher(format);
        counter.find();
        return new NumberFormatSpec(format, format.substring(0, counter.start()), counter.group(1).length(),
                format.substring(counter.end()));
    }

    private static InvalidInputException invalid(String format, String why) {
        return new InvalidInputException("number format '" + format + "' is invalid: " + why
                + ". Example: {series}-{yyyy}-{000000} prints INV-2026-000042");
    }

    String prefix(String series, int year) {
        return render(before, series, year);
    }

    String suffix(String series, int year) {
        return render(after, series, year);
    }

    /** The whole number, for tests and previews; issuing pads the counter in SQL the same way. */
    String format(String series, int year, int number) {
        String digits = Integer.toString(number);
        return prefix(series, year) + "0".repeat(Math.max(0, width - digits.length())) + digits + suffix(series, year);
    }

    private static String render(String part, String series, int year) {
        return part.replace("{series}", series)
                .replace("{yyyy}", String.format(java.util.Locale.ROOT, "%04d", year))
                .replace("{yy}", String.format(java.util.Locale.ROOT, "%02d", year % 100));
    }
}
