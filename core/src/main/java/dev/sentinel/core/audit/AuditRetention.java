package dev.sentinel.core.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Removes a tenant's old audit rows behind a signed checkpoint, from {@code sentinel.auditRetention(ownerDataSource, actor)}.
 *
 * <p>A run seals the tenant's pending rows, picks the longest prefix of the chain whose rows all
 * occurred before the cutoff, signs a {@link AuditCheckpoint.Purpose#RETENTION retention checkpoint}
 * at its end (after recomputing its HMAC links: a broken chain is not removed), then deletes the
 * prefix's rows and links in batches, each its own short transaction, as the owner role through
 * the trails' one removal path ({@code SET LOCAL sentinel.audit_removal = 'retention'}). Finally it
 * records who removed what in the system audit trail. {@link AuditChain#verify} and the archive
 * verifier start from the newest retention checkpoint. A run that stopped half-way is finished by
 * the next one. Rows not yet sealed are never removed.
 *
 * <p>Thread-safe; two runs for one tenant at once are harmless but pointless.
 */
public interface AuditRetention {

    /**
     * Removes the tenant's sealed audit rows that occurred before the cutoff.
     *
     * @param tenantId the tenant
     * @param cutoff rows older than this go; it must not be in the future
     * @return what was removed and the checkpoint verification now starts from
     * @throws dev.sentinel.core.InvalidInputException if an argument is null or the cutoff is in the future
     * @throws dev.sentinel.core.NotFoundException if the tenant does not exist
     * @throws AuditChainBrokenException if the chain does not verify up to the rows to remove
     */
    RetentionResult removeBefore(UUID tenantId, Instant cutoff);

    /**
     * What a retention run did.
     *
     * @param tenantId the tenant
     * @param cutoff the cutoff it was given
     * @param rowsRemoved audit rows removed by this run (a resumed run counts what it removed itself)
     * @param checkpoint the retention checkpoint verification starts from, or {@code null} if no row was old enough ever
     */
    record RetentionResult(UUID tenantId, Instant cutoff, long rowsRemoved, AuditCheckpoint checkpoint) {
    }
}
