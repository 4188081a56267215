package dev.sentinel.core.audit;

import dev.sentinel.core.InvalidInputException;
import java.util.UUID;

/**
 * The head of a tenant's sealed audit chain at one moment: its length and its last hash. Export it
 * somewhere the database's administrators cannot write (a log service, a ticket, a signed e-mail):
 * deleting the newest audit rows and their links leaves a shorter chain that verifies on its own,
 * and only an anchor taken earlier shows that it was cut.
 *
 * @param tenantId the tenant
 * @param position the number of sealed links
 * @param hash the last link's hash, hex
 */
public record ChainAnchor(UUID tenantId, long position, String hash) {

    /**
     * The anchor as one line, {@code <tenant>:<position>:<hash>}, for export.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return tenantId + ":" + position + ":" + hash;
    }

    /**
     * Reads the text form of {@link #toString()}.
     *
     * @param text {@code <tenant>:<position>:<hash>}
     * @return the anchor
     * @throws InvalidInputException if the text is not an anchor
     */
    public static ChainAnchor parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":");
        try {
            if (parts.length == 3 && parts[2].matches("[0-9a-f]{64}")) {
                return new ChainAnchor(UUID.fromString(parts[0]), Long.parseLong(parts[1]), parts[2]);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Not a chain anchor: '" + text + "'", e);
        }
        throw new InvalidInputException("Not a chain anchor: '" + text + "'; expected <tenant>:<position>:<64 hex digits>");
    }
}
