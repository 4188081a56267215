package dev.sentinel.agency.billing;

/**
 * A number series of the tenant: which kind of document it numbers and how its numbers are
 * printed. Each (series, year) has its own gap-free counter.
 *
 * <p>The format is literal text (letters, digits and {@code / _ . # -}) with these tokens: exactly
 * one year, {@code {yyyy}} or {@code {yy}}; exactly one counter, {@code {000000}}, zero-padded to as
 * many digits as there are zeros (1 to 12; a larger number is printed in full, never cut); and
 * optionally {@code {series}}. At most 60 characters. The year is required because every counter
 * starts again at 1 each year. The default, {@link #DEFAULT_FORMAT}, prints {@code INV-2026-000042}.
 *
 * @param series the series code, such as {@code INV}
 * @param kind the only kind of document numbered in it
 * @param numberFormat the format
 */
public record NumberSeries(String series, InvoiceKind kind, String numberFormat) {

    /** The format of a series that was never configured: {@code {series}-{yyyy}-{000000}}. */
    public static final String DEFAULT_FORMAT = "{series}-{yyyy}-{000000}";
}
