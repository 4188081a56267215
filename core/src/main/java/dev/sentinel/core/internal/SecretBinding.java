package dev.sentinel.core.internal;

import dev.sentinel.core.secrets.SecretKeyException;

/**
 * The row a sealed {@link dev.sentinel.core.secrets.Secret} was read from, with the cipher of the
 * {@code Sentinel} that read it, so that {@code reveal()} can open it later. Not API; immutable.
 */
public final class SecretBinding {

    private final SecretCipher cipher;
    private final SecretSlot slot;

    SecretBinding(SecretCipher cipher, SecretSlot slot) {
        this.cipher = cipher;
        this.slot = slot;
    }

    /**
     * Opens the value stored at this binding's row.
     *
     * @param ciphertext the stored form
     * @return the clear text
     * @throws SecretKeyException if the Sentinel has no keys, or none with the value's key id
     * @throws dev.sentinel.core.secrets.SecretIntegrityException if the value does not open
     */
    public String open(String ciphertext) {
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
