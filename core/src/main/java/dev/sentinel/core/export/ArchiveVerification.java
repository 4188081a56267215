package dev.sentinel.core.export;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of {@link ArchiveVerifier#verify}: every problem found, or none.
 *
 * @param tenantId the tenant the manifest names, or {@code null} if the manifest is unreadable
 * @param filesChecked how many files the manifest lists
 * @param auditRowsVerified how many archived audit rows the recomputed hash chain covered
 * @param checkpointPosition the chain position of the checkpoint the trail ends at
 * @param problems what does not verify, one sentence each, in the order found
 */
public record ArchiveVerification(UUID tenantId, int filesChecked, long auditRowsVerified, long checkpointPosition,
        List<String> problems) {

    /**
     * Whether the archive verified.
     *
     * @return {@code true} if no problem was found
     */
    public boolean intact() {
        return problems.isEmpty();
    }
}
