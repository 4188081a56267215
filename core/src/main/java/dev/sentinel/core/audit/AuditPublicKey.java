package dev.sentinel.core.audit;

import dev.sentinel.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public half of an {@link AuditSigningKey}: all that a party needs to verify signed checkpoints
 * of the audit chain and an exported archive, and not enough to forge either. Hand it to customers
 * and auditors. Its text form is {@code <id> <base64 X.509 encoding>}, one line. Immutable and
 * thread-safe.
 */
public final class AuditPublicKey {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final String id;
    private final PublicKey key;

    private AuditPublicKey(String id, PublicKey key) {
        this.id = id;
        this.key = key;
    }

    /**
     * A public key.
     *
     * @param id the key pair's id: letters, digits, {@code _ . -}, at most 32
     * @param key an Ed25519 public key
     * @return the key
     * @throws InvalidInputException if the id does not fit or the key is not Ed25519
     */
    public static AuditPublicKey of(String id, PublicKey key) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("AuditPublicKey: id '" + id + "' must be 1 to 32 letters, digits or _ . -");
        }
        if (!(key instanceof EdECPublicKey ed) || !"Ed25519".equals(ed.getParams().getName())) {
            throw new InvalidInputException("AuditPublicKey: the key must be an Ed25519 public key, not "
                    + (key == null ? "null" : key.getAlgorithm()));
        }
        return new AuditPublicKey(id, key);
    }

    /**
     * Reads the text form of {@link #toString()}.
     *
     * @param text {@code <id> <base64 X.509 encoding>}
     * @return the key
     * @throws InvalidInputException if the text is not a public key
     */
    public static AuditPublicKey parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split(" ");
        if (parts.length != 2) {
            throw new InvalidInputException("Not an audit public key: expected '<id> <base64 X.509 Ed25519 key>' on one line");
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(parts[1])));
            return of(parts[0], key);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidInputException("Not an audit public key: the second part is not a base64 X.509 Ed25519 key", e);
        }
    }

    /**
     * The key pair's id, stored with each checkpoint it signed.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Whether a signature over a text was made by this key's private half.
     *
     * @param text the signed text (UTF-8)
     * @param signature the base64 signature
     * @return {@code true} if it verifies; {@code false} for a wrong or malformed signature
     */
    public boolean verifies(String text, String signature) {
        return verifies(text.getBytes(StandardCharsets.UTF_8), signature);
    }

    /**
     * Whether a signature over bytes was made by this key's private half.
     *
     * @param message the signed bytes
     * @param signature the base64 signature
     * @return {@code true} if it verifies; {@code false} for a wrong or malformed signature
     */
    public boolean verifies(byte[] message, String signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** The JCA key, for {@link AuditSigningKey#parse}. */
    java.security.PublicKey publicKeyForPair() {
        return key;
    }

    /**
     * The key as one line, {@code <id> <base64 X.509 encoding>}.
     *
     * @return the text form, which {@link #parse(String)} reads
     */
    @Override
    public String toString() {
        return id + " " + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditPublicKey that && id.equals(that.id)
                && java.util.Arrays.equals(key.getEncoded(), that.key.getEncoded());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }
}
