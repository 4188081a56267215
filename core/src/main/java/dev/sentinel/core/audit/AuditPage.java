package dev.sentinel.core.audit;

import java.util.List;
import java.util.OptionalLong;

/**
 * A page of audit entries, newest first, with the cursor of the next (older) page.
 *
 * @param entries the entries, by descending {@code seq}
 * @param nextBefore pass to {@link AuditTrail#list(AuditFilter, int, long)} for the next page; empty on the last
 */
public record AuditPage(List<AuditEntry> entries, OptionalLong nextBefore) {

    /** Copies the entries. */
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
