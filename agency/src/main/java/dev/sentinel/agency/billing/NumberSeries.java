package dev.sentinel.agency.billing;

import dev.sentinel.agency.db.enums.InvoiceKind;

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

    /**
     * The series a document of a kind goes to when none is named: {@code INV} for invoices,
     * {@code CR} for credit notes, so credit notes have numbers of their own.
     *
     * @param kind the kind of document
     * @return {@code INV} or {@code CR}
     * @throws NullPointerException if {@code kind} is null
     */
    public static String defaultSeries(InvoiceKind kind) {
        return switch (kind) {
            case INVOICE -> "INV";
            case CREDIT_NOTE -> "CR";
        };
    }
}
