package dev.sentinel.core.audit;

import dev.sentinel.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A signed checkpoint of a tenant's audit chain: a commitment, verifiable with an
 * {@link AuditPublicKey} alone, to the chain up to one position.
 *
 * <p><b>Why a second hash.</b> The chain's links are HMACs under a key only the service holds; a
 * party given that key could forge them. The checkpoint's {@code digest} is a plain SHA-256 hash
 * chain over the same rows' canonical texts, in chain order, that anyone can recompute:
 * {@code digest(0)} is 64 zeros and {@code digest(n) = hex(SHA-256(digest(n-1) + "\n" +
 * canonical(n)))} ({@link #nextDigest}). The signature binds it, with the HMAC of link {@code n}
 * ({@code chainHash}, where verification in the database resumes after retention), to the tenant
 * and the position. The service signs only a range whose HMAC links it has just recomputed.
 *
 * @param tenantId the tenant
 * @param purpose why it was taken
 * @param position the chain position it commits to (0 for an empty chain)
 * @param chainHash the HMAC of the link at {@code position}, hex (64 zeros at position 0)
 * @param digest the SHA-256 hash chain up to {@code position}, hex
 * @param keyId the id of the signing key pair
 * @param signedAt when it was signed, to the microsecond
 * @param signature base64 Ed25519 signature over {@link #signedText()}
 */
public record AuditCheckpoint(UUID tenantId, Purpose purpose, long position, String chainHash, String digest, String keyId,
        Instant signedAt, String signature) {

    /** The digest and chain hash before the first row: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    /** Why a checkpoint was taken. */
    public enum Purpose {
        /** On request or for an export: the chain up to it is complete. */
        CHECKPOINT,
        /** Audit retention removed the rows up to it; verification starts after it. */
        RETENTION;

        /**
         * The purpose as stored and signed.
         *
         * @return {@code checkpoint} or {@code retention}
         */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Reads {@link #text()}.
         *
         * @param text {@code checkpoint} or {@code retention}
         * @return the purpose
         * @throws InvalidInputException for anything else
         */
        public static Purpose of(String text) {
            for (Purpose purpose : values()) {
                if (purpose.text().equals(text)) {
                    return purpose;
                }
            }
            throw new InvalidInputException("Not a checkpoint purpose: '" + text + "'; expected checkpoint or retention");
        }
    }

    /**
     * The text the signature covers: the fields, space-separated, after a fixed prefix that names
     * the format, so that a signature over anything else can never pass for a checkpoint's.
     *
     * @return the signed text
     */
    public String signedText() {
        return "sentinel-audit-checkpoint/1 " + fields();
    }

    private String fields() {
        return purpose.text() + " " + tenantId + " " + position + " " + chainHash + " " + digest + " " + keyId + " " + signedAt;
    }

    /**
     * Whether one of the keys (matched by id) verifies the signature.
     *
     * @param keys the public keys known to the verifier, current and retired
     * @return {@code true} if the key named by {@link #keyId()} is among them and verifies the signature
     */
    public boolean verifiedBy(Collection<AuditPublicKey> keys) {
        return keys.stream().anyMatch(key -> key.id().equals(keyId) && key.verifies(signedText(), signature));
    }

    /**
     * The next value of the hash chain a checkpoint's digest commits to.
     *
     * @param previous the digest up to the previous row (64 zeros before the first)
     * @param canonical the canonical text of the next row ({@code sentinel.audit_canonical})
     * @return {@code hex(SHA-256(previous + "\n" + canonical))}
     */
    public static String nextDigest(String previous, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /**
     * The checkpoint as one line: the signed fields and the signature, space-separated.
     *
     * @return the text form, which {@link #parse(String)} reads
     */
    @Override
    public String toString() {
        return fields() + " " + signature;
    }

    /**
     * Reads the text form of {@link #toString()}. Does not verify the signature.
     *
     * @param line {@code <purpose> <tenant> <position> <chain hash> <digest> <key id> <signed at> <signature>}
     * @return the checkpoint
     * @throws InvalidInputException if the line is not a checkpoint
     */
    public static AuditCheckpoint parse(String line) {
        String[] parts = line == null ? new String[0] : line.split(" ");
        try {
            if (parts.length == 8 && parts[3].matches("[0-9a-f]{64}") && parts[4].matches("[0-9a-f]{64}")
                    && AuditPublicKey.ID.matcher(parts[5]).matches() && Long.parseLong(parts[2]) >= 0) {
                return new AuditCheckpoint(UUID.fromString(parts[1]), Purpose.of(parts[0]), Long.parseLong(parts[2]), parts[3],
                        parts[4], parts[5], Instant.parse(parts[6]), parts[7]);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidInputException("Not an audit checkpoint: " + e.getMessage(), e);
        }
        throw new InvalidInputException("Not an audit checkpoint; expected '<purpose> <tenant> <position> <chain hash> <digest>"
                + " <key id> <signed at> <signature>'");
    }
}
