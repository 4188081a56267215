package dev.sentinel.core;

/**
 * Work done in a transaction that returns nothing.
 *
 * @param <X> the checked exception the work may throw, or {@link RuntimeException}
 */
@FunctionalInterface
public interface TxConsumer<X extends Exception> {

    /**
     * Does the work.
     *
     * @param tx the transaction
     * @throws X to roll the transaction back; the exception reaches the caller unchanged
     */
    void useTransaction(Tx tx) throws X;

    /**
     * This consumer as a callback returning {@code null}, so one code path runs both.
     *
     * @return the adapted callback
     */
    default TxCallback<Void, X> asCallback() {
        return tx -> {
            useTransaction(tx);
            return null;
        };
    }
}
