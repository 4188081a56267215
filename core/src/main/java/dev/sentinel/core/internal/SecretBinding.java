package dev.sentinel.core.internal;

import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.secrets.SecretKeyException;

/**
 * The row a sealed {@link dev.sentinel.core.secrets.Secret} was read from, with the cipher of the
 * {@code Sentinel} that read it, so that {@code reveal()} can open it later. Not API; immutable.
 */
public final class SecretBinding {

    private final SecretCipher cipher;
    private final SecretSlot slot;
    private final String refusal;

    SecretBinding(SecretCipher cipher, SecretSlot slot) {
        this(cipher, slot, null);
    }

    private SecretBinding(SecretCipher cipher, SecretSlot slot, String refusal) {
        this.cipher = cipher;
        this.slot = slot;
        this.refusal = refusal;
    }

    /** A binding whose value never opens here, saying why. */
    static SecretBinding refusing(SecretSlot slot, String refusal) {
        return new SecretBinding(null, slot, refusal);
    }

    /**
     * Opens the value stored at this binding's row.
     *
     * @param ciphertext the stored form
     * @return the clear text
     * @throws PermissionDeniedException if the value belongs to a global row read outside the system scope
     * @throws SecretKeyException if the Sentinel has no keys, or none with the value's key id
     * @throws dev.sentinel.core.secrets.SecretIntegrityException if the value does not open
     */
    public String open(String ciphertext) {
        if (refusal != null) {
            throw new PermissionDeniedException(refusal);
        }
        if (cipher == null) {
            throw SecretCipher.noKeys(slot);
        }
        return cipher.open(ciphertext, slot);
    }

    SecretSlot slot() {
        return slot;
    }

    SecretCipher cipher() {
        return cipher;
    }
}
