package dev.sentinel.core;

/**
 * Work done in a transaction that returns a value.
 *
 * @param <R> the result type
 * @param <X> the checked exception the work may throw, or {@link RuntimeException}
 */
@FunctionalInterface
public interface TxCallback<R, X extends Exception> {

    /**
     * Does the work.
     *
     * @param tx the transaction
     * @return the result, returned by {@code inTransaction} after the commit
     * @throws X to roll the transaction back; the exception reaches the caller unchanged
     */
    R inTransaction(Tx tx) throws X;
}
