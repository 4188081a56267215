package dev.sentinel.core.audit;

import dev.sentinel.core.InvalidInputException;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC key that seals the audit chain. The service supplies it (from a secret store, never
 * from the database): a chain that whoever can write the database could recompute would prove
 * nothing. The id is stored with each chain link, so keys can be rotated. Immutable and
 * thread-safe; {@link #toString()} never shows the key.
 */
public final class AuditKey {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final int MIN_BYTES = 32;

    private final String id;
    private final byte[] secret;

    private AuditKey(String id, byte[] secret) {
        this.id = id;
        this.secret = secret;
    }

    /**
     * A key.
     *
     * @param id a short name for the key, stored with each link: letters, digits, {@code _ . -}, at most 32
     * @param secret at least 32 random bytes; copied
     * @return the key
     * @throws InvalidInputException if the id or the secret does not fit
     */
    public static AuditKey of(String id, byte[] secret) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("AuditKey: id '" + id + "' must be 1 to 32 letters, digits or _ . -");
        }
        if (secret == null || secret.length < MIN_BYTES) {
            throw new InvalidInputException("AuditKey: the secret must have at least " + MIN_BYTES
                    + " bytes (256 bits) of random data; generate one with SecureRandom");
        }
        return new AuditKey(id, secret.clone());
    }

    /**
     * The key's id.
     *
     * @return the id stored with each chain link
     */
    public String id() {
        return id;
    }

    /**
     * HMAC-SHA256 of a message under this key.
     *
     * @param message the bytes to authenticate
     * @return the 32-byte tag
     */
    public byte[] hmac(byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AuditKey[" + id + ", secret redacted]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditKey key && id.equals(key.id) && Arrays.equals(secret, key.secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
