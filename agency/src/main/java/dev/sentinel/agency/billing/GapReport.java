package dev.sentinel.agency.billing;

import java.util.List;

/**
 * The numbers of one (series, year) as the database holds them: the counter's last number, and the
 * numbers from 1 to it that no invoice carries. Issued, paid and void documents all count: a
 * voided number is used, not missing. Sentinel never leaves a gap, so {@link #missing()} is empty
 * unless someone changed the counter or the invoices behind its back.
 *
 * @param series the series
 * @param year the year
 * @param lastNumber the counter's last allocated number, 0 if none was allocated
 * @param issuedCount how many documents of the series and year have a number
 * @param missing the numbers in 1..lastNumber that no document carries, ascending
 * @param beyondCounter numbers greater than lastNumber that a document carries (the counter was moved back), ascending
 */
public record GapReport(String series, int year, int lastNumber, int issuedCount, List<Integer> missing,
        List<Integer> beyondCounter) {

    /**
     * Copies the lists.
     */
    public GapReport {
        missing = List.copyOf(missing);
        beyondCounter = List.copyOf(beyondCounter);
    }

    /**
     * Whether the numbers are exactly 1..lastNumber.
     *
     * @return {@code true} when nothing is missing and nothing lies beyond the counter
     */
    public boolean isComplete() {
        return missing.isEmpty() && beyondCounter.isEmpty();
    }
}
