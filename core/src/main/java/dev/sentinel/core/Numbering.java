package dev.sentinel.core;

/**
 * Gap-free numbers of this transaction's tenant, one counter per series and period (invoice numbers
 * per year, order numbers, credit notes): the kernel's primitive, usable by any table of a module or
 * a service. Reached through {@link Tx#numbering()}; tenant scope only.
 *
 * <p>A number comes from a counter row ({@code sentinel.number_counters}) that {@link #next} inserts
 * or increments; the row stays locked until the transaction ends. So numbers never skip: a rollback
 * gives its number back, and the next transaction of the same series and period waits for the lock
 * and takes it. The cost is that one series and period is issued one transaction at a time: call
 * {@link #next} as the last write of the transaction, so the lock is held as briefly as possible.
 * Not thread-safe, like the transaction.
 */
public interface Numbering {

    /**
     * The next number of a series and period in this tenant: 1 for the first, then one more each
     * time, without gaps among committed transactions.
     *
     * @param series the series, such as {@code INV} or {@code order}: letters, digits and
     *     {@code _ . : -}, at most 63 characters
     * @param period the period whose counter restarts at 1, such as {@code 2026}; empty for a counter
     *     that never restarts: letters, digits and {@code _ . -}, at most 32 characters
     * @return the number
     * @throws InvalidInputException if the series or period is malformed
     * @throws MissingScopeException in the system scope
     */
    long next(String series, String period);

    /**
     * The last number a series and period gave out, as this transaction sees it.
     *
     * @param series the series
     * @param period the period; empty for a counter that never restarts
     * @return the last number, or 0 if none was given out
     * @throws InvalidInputException if the series or period is malformed
     * @throws MissingScopeException in the system scope
     */
    long last(String series, String period);
}
