package dev.sentinel.core.secrets;

import dev.sentinel.core.InvalidInputException;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * One data key for {@code sentinel:secret} columns: 32 bytes of key material for AES-256-GCM and
 * the id that every value sealed under it carries ({@code sv1:<id>:...}), so that a later key can
 * replace it while values sealed under it stay readable. The service supplies the material from
 * its secret store or KMS; Sentinel never stores it. Immutable and thread-safe;
 * {@link #toString()} never shows the material.
 */
public final class SecretKey {

    /** The key id format that the database's {@code sentinel.is_secret_ciphertext} accepts. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int BYTES = 32;

    private final String id;
    private final byte[] material;

    private SecretKey(String id, byte[] material) {
        this.id = id;
        this.material = material;
    }

    /**
     * A key.
     *
     * @param id the key's id, stored with every value sealed under it: 1 to 32 letters, digits,
     *     {@code _} or {@code -}. Never reuse an id for other material.
     * @param material exactly 32 random bytes (AES-256), e.g. from {@code SecureRandom} or
     *     {@code openssl rand -base64 32}; copied
     * @return the key
     * @throws InvalidInputException if the id or the material does not fit
     */
    public static SecretKey of(String id, byte[] material) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("SecretKey: the id must be 1 to 32 letters, digits, _ or - (it is stored"
                    + " with every sealed value); got " + (id == null ? "null" : "'" + id + "'"));
        }
        if (material == null || material.length != BYTES) {
            throw new InvalidInputException("SecretKey " + id + ": the key material must be exactly " + BYTES
                    + " bytes (AES-256), got " + (material == null ? "null" : material.length + " bytes")
                    + "; generate it with SecureRandom or `openssl rand -base64 32`");
        }
        return new SecretKey(id, material.clone());
    }

    /**
     * The key's id.
     *
     * @return the id that values sealed under this key carry
     */
    public String id() {
        return id;
    }

    /** The material, for Sentinel's cipher only. */
    byte[] material() {
        return material.clone();
    }

    @Override
    public String toString() {
        return "SecretKey[" + id + ", material redacted]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretKey key && id.equals(key.id) && MessageDigest.isEqual(material, key.material);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
