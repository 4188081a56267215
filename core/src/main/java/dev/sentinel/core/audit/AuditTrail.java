package dev.sentinel.core.audit;

/**
 * The audit trail of the current scope, from {@code tx.audit()}: the tenant's trail in a tenant
 * scope, the system trail in the system scope. Row changes are audited by database triggers
 * without any call here; this writes the entries that change no row and reads the trail.
 * Valid only inside its transaction.
 */
public interface AuditTrail {

    /**
     * Writes a custom entry in this transaction, with the transaction's actor and request id. It
     * commits or rolls back with the transaction.
     *
     * @param event the entry
     * @return the stored entry
     */
    AuditEntry record(AuditEvent event);

    /**
     * The newest entries matching a filter.
     *
     * @param filter the criteria
     * @param limit 1 to 1000
     * @return the page, newest first
     */
    AuditPage list(AuditFilter filter, int limit);

    /**
     * The entries matching a filter that are older than a cursor: keyset paging, as costly for the
     * last page as for the first.
     *
     * @param filter the criteria
     * @param limit 1 to 1000
     * @param beforeSeq the {@link AuditPage#nextBefore()} of the previous page
     * @return the page, newest first
     */
    AuditPage list(AuditFilter filter, int limit, long beforeSeq);
}
