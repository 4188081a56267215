package dev.sentinel.agency.contracts;

import dev.sentinel.agency.db.enums.BodyFormat;
import java.time.Instant;
import java.util.UUID;

/**
 * One version of a contract's text, as stored; it never changes once written. Immutable and
 * thread-safe.
 *
 * @param id the id
 * @param contractId the contract
 * @param versionNumber 1, 2, ... without gaps
 * @param body the text, or {@code null} for a document stored elsewhere
 * @param bodyFormat the text's markup, or {@code null} for a document
 * @param documentRef where the document is, or {@code null} for a text
 * @param contentSha256Hex the SHA-256 of the text (UTF-8) or of the document's bytes, as 64 lower-case hexadecimal digits
 * @param changeNote what changed from the previous version, or {@code null}
 * @param createdBy the user who added it, or {@code null} for a service
 * @param createdAt when it was added
 */
public record ContractVersion(UUID id, UUID contractId, int versionNumber, String body, BodyFormat bodyFormat,
        String documentRef, String contentSha256Hex, String changeNote, UUID createdBy, Instant createdAt) {
}
