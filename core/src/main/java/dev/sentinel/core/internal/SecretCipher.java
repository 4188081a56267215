package dev.sentinel.core.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import dev.sentinel.core.secrets.SecretIntegrityException;
import dev.sentinel.core.secrets.SecretKeyException;
import dev.sentinel.core.secrets.SecretKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seals and opens secret values in format sv1 (docs/decisions.md): {@code sv1:<key id>:<payload>},
 * the payload unpadded base64url of {@code nonce (12) || ciphertext || tag (16)}, AES-256-GCM
 * through Tink's {@link Aead} with a random nonce per value, and associated data naming the
 * {@link SecretSlot}. Built once per {@code Sentinel} from its {@link SecretKeys}; thread-safe.
 */
public final class SecretCipher {

    /** The format's prefix. */
    static final String VERSION = "sv1";
    /** The same shape that {@code sentinel.is_secret_ciphertext} accepts. */
    private static final Pattern FORMAT = Pattern.compile("sv1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{38,})");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Where the key check values live; the key id stands in for the row id. */
    private static final String CHECK_TABLE = "sentinel.secret_key_checks";

    private final String primaryId;
    private final List<String> keyIds;
    private final Map<String, Aead> aeads;

    private SecretCipher(String primaryId, List<String> keyIds, Map<String, Aead> aeads) {
        this.primaryId = primaryId;
        this.keyIds = keyIds;
        this.aeads = aeads;
    }

    /**
     * The cipher of a key ring.
     *
     * @param keys the service's keys, or {@code null}
     * @return the cipher, or {@code null} without keys
     */
    public static SecretCipher of(SecretKeys keys) {
        if (keys == null) {
            return null;
        }
        Map<String, Aead> aeads = new HashMap<>();
        try {
            AesGcmParameters parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(32)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    // No Tink prefix: the key id is in the sv1 text, and the payload is nonce || ct || tag.
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
            for (Map.Entry<String, byte[]> key : SecretAccess.hooks().material(keys).entrySet()) {
                byte[] material = key.getValue();
                try {
                    aeads.put(key.getKey(), AesGcmJce.create(AesGcmKey.builder()
                            .setParameters(parameters)
                            .setKeyBytes(SecretBytes.copyFrom(material, InsecureSecretKeyAccess.get()))
                            .build()));
                } finally {
                    Arrays.fill(material, (byte) 0);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM: " + e.getMessage(), e);
        }
        return new SecretCipher(keys.primaryKeyId(), keys.keyIds(), Map.copyOf(aeads));
    }

    /**
     * The error for a secret column met by a Sentinel without keys.
     *
     * @param slot where
     * @return the exception
     */
    static SecretKeyException noKeys(SecretSlot slot) {
        return new SecretKeyException("Sentinel has no secret keys, but " + slot.table() + "." + slot.column()
                + " is a sentinel:secret column, sealed with AES-256-GCM: configure"
                + " Sentinel.builder().secretKeys(SecretKeys.of(SecretKey.of(id, material))) with the service's data key", null);
    }

    String primaryKeyId() {
        return primaryId;
    }

    List<String> keyIds() {
        return keyIds;
    }

    /**
     * Seals a clear value for a slot under the primary key.
     *
     * @param clearText the value
     * @param slot where it will be stored
     * @return the stored form
     */
    String seal(String clearText, SecretSlot slot) {
        return seal(primaryId, clearText, slot);
    }

    private String seal(String keyId, String clearText, SecretSlot slot) {
        try {
            byte[] payload = aeads.get(keyId).encrypt(clearText.getBytes(StandardCharsets.UTF_8), slot.associatedData());
            return VERSION + ":" + keyId + ":" + ENCODER.encodeToString(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Sealing " + slot.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a stored value.
     *
     * @param ciphertext the stored form
     * @param slot where it is stored
     * @return the clear text
     * @throws SecretKeyException if no configured key has the value's key id
     * @throws SecretIntegrityException if the value is malformed or does not open
     */
    String open(String ciphertext, SecretSlot slot) {
        Matcher parts = FORMAT.matcher(ciphertext);
        if (!parts.matches()) {
            throw new SecretIntegrityException(slot.describe() + " does not hold a sealed value (format sv1:<key id>:<payload>);"
                    + " it was written around Sentinel. Write the secret again through tx.table(...)", null);
        }
        String keyId = parts.group(1);
        Aead aead = aeads.get(keyId);
        if (aead == null) {
            throw new SecretKeyException(slot.describe() + " is sealed under key '" + keyId + "', which the configured"
                    + " secret keys (" + String.join(", ", keyIds) + ") do not hold: add SecretKey " + keyId
                    + " to SecretKeys.of(primary, older...) and keep it until SecretRotation has re-sealed every value"
                    + " under the primary key", keyId);
        }
        try {
            byte[] payload = DECODER.decode(parts.group(2));
            return new String(aead.decrypt(payload, slot.associatedData()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretIntegrityException(slot.describe() + " does not open under key '" + keyId + "': the stored"
                    + " value was altered, or copied from another row, column, table or tenant (a sealed value is bound to"
                    + " where it was written), or sealed under other key material with the same id. It cannot be"
                    + " recovered from what is stored; write the secret again", e);
        }
    }

    /**
     * Whether a stored value is sealed under the primary key.
     *
     * @param ciphertext the stored form
     * @return {@code true} if re-sealing would change nothing but the nonce
     */
    boolean isCurrent(String ciphertext) {
        return ciphertext.startsWith(currentPrefix());
    }

    /** The prefix of values sealed under the primary key. */
    String currentPrefix() {
        return VERSION + ":" + primaryId + ":";
    }

    /**
     * The check value of a key: an empty string sealed under it, bound to its id in
     * {@code sentinel.secret_key_checks}.
     *
     * @param keyId a configured key id
     * @return the check value to store
     */
    String keyCheck(String keyId) {
        return seal(keyId, "", checkSlot(keyId));
    }

    /**
     * Whether a stored check value was made with the material configured under its key id.
     *
     * @param keyId a configured key id
     * @param check the stored check value
     * @return {@code true} if the material is the same
     */
    boolean opensKeyCheck(String keyId, String check) {
        if (!check.startsWith(VERSION + ":" + keyId + ":")) {
            return false;
        }
        try {
            return open(check, checkSlot(keyId)).isEmpty();
        } catch (SecretIntegrityException e) {
            return false;
        }
    }

    private static SecretSlot checkSlot(String keyId) {
        return new SecretSlot(CHECK_TABLE, "key_check", "", keyId);
    }

    @Override
    public String toString() {
        return "SecretCipher[primary " + primaryId + ", keys " + keyIds + "]";
    }
}
