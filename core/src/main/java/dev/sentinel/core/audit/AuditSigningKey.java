package dev.sentinel.core.audit;

import dev.sentinel.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The Ed25519 key pair that signs checkpoints of the audit chain and the manifests of exported
 * archives. Like the {@link AuditKey}, the service supplies it from a secret store and the database
 * never sees the private half; unlike it, the public half ({@link #publicKey()}) lets anyone verify
 * a checkpoint without being able to forge one. The JDK's own Ed25519 implementation is used. Its
 * text form, {@link #encoded()}, is {@code <id> <base64 PKCS#8 private key> <base64 X.509 public
 * key>}. Immutable and thread-safe; {@link #toString()} never shows the private key.
 */
public final class AuditSigningKey {

    private final String id;
    private final PrivateKey privateKey;
    private final AuditPublicKey publicKey;

    private AuditSigningKey(String id, PrivateKey privateKey, AuditPublicKey publicKey) {
        this.id = id;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * A signing key from an Ed25519 key pair.
     *
     * @param id a short name for the pair, stored with each checkpoint: letters, digits, {@code _ . -}, at most 32
     * @param pair an Ed25519 key pair, such as one from {@code KeyPairGenerator.getInstance("Ed25519")}
     * @return the key
     * @throws InvalidInputException if the id does not fit, the pair is not Ed25519, or its halves do not belong together
     */
    public static AuditSigningKey of(String id, KeyPair pair) {
        if (pair == null) {
            throw new InvalidInputException("AuditSigningKey: the key pair is null");
        }
        AuditPublicKey publicKey = AuditPublicKey.of(id, pair.getPublic());
        if (!(pair.getPrivate() instanceof EdECPrivateKey ed) || !"Ed25519".equals(ed.getParams().getName())) {
            throw new InvalidInputException("AuditSigningKey: the private key must be Ed25519");
        }
        AuditSigningKey key = new AuditSigningKey(id, pair.getPrivate(), publicKey);
        String probe = "sentinel audit signing key " + id;
        if (!publicKey.verifies(probe, key.sign(probe))) {
            throw new InvalidInputException("AuditSigningKey: the private and the public key of '" + id + "' are not one pair");
        }
        return key;
    }

    /**
     * A new random key pair.
     *
     * @param id a short name for the pair
     * @return the key; store {@link #encoded()} in the service's secret store
     * @throws InvalidInputException if the id does not fit
     */
    public static AuditSigningKey generate(String id) {
        try {
            return of(id, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JVM", e);
        }
    }

    /**
     * Reads the text form of {@link #encoded()}.
     *
     * @param text {@code <id> <base64 PKCS#8 private key> <base64 X.509 public key>}
     * @return the key
     * @throws InvalidInputException if the text is not a signing key (the message never shows the text)
     */
    public static AuditSigningKey parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split(" ");
        if (parts.length != 3) {
            throw new InvalidInputException("Not an audit signing key: expected '<id> <base64 PKCS#8 Ed25519 private key>"
                    + " <base64 X.509 public key>' on one line");
        }
        AuditPublicKey publicKey = AuditPublicKey.parse(parts[0] + " " + parts[2]);
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(parts[1])));
            return of(parts[0], new KeyPair(publicKey.publicKeyForPair(), privateKey));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidInputException("Not an audit signing key: the second part is not a base64 PKCS#8 Ed25519 key", e);
        }
    }

    /**
     * The pair's id.
     *
     * @return the id stored with each checkpoint
     */
    public String id() {
        return id;
    }

    /**
     * The public half, to give to whoever verifies checkpoints and archives.
     *
     * @return the public key
     */
    public AuditPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs a text.
     *
     * @param text the text (UTF-8)
     * @return the base64 Ed25519 signature
     */
    public String sign(String text) {
        return sign(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signs bytes.
     *
     * @param message the bytes
     * @return the base64 Ed25519 signature
     */
    public String sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * The key pair as one line, for the service's secret store. This is the private key: never log it.
     *
     * @return {@code <id> <base64 PKCS#8 private key> <base64 X.509 public key>}
     */
    public String encoded() {
        return id + " " + Base64.getEncoder().encodeToString(privateKey.getEncoded()) + " "
                + publicKey.toString().substring(id.length() + 1);
    }

    @Override
    public String toString() {
        return "AuditSigningKey[" + id + ", private key redacted]";
    }
}
