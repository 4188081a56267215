package dev.sentinel.core.secrets;

import dev.sentinel.core.ConfigurationException;
import java.util.Optional;

/**
 * A secret could not be sealed or opened because of the keys, not the data: no
 * {@link SecretKeys} are configured, a value is sealed under a key id that the configured keys do
 * not hold, or the key material configured under an id is not the material that sealed data in
 * this database. The message names the key id and what to configure. Nothing was written.
 */
public class SecretKeyException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    /** The key id the error concerns, or null (serialized with the exception). */
    private final String keyId;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to configure
     * @param keyId the key id concerned, or {@code null} when no keys are configured at all
     */
    public SecretKeyException(String message, String keyId) {
        super(message);
        this.keyId = keyId;
    }

    /**
     * The key id concerned.
     *
     * @return the id, or empty when no keys are configured at all
     */
    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }
}
