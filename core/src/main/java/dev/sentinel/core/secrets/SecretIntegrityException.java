package dev.sentinel.core.secrets;

import dev.sentinel.core.SentinelException;

/**
 * A stored secret does not open under its key although the key is the right one: the value was
 * altered, or copied from another row, column, table or tenant (a sealed value is bound to where it
 * was written), or it is not in the sealed format at all. The message says where the value is
 * stored, never the value. The value cannot be recovered from what is stored; write the secret again.
 */
public class SecretIntegrityException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message where the value is stored and what to do; never the value
     * @param cause the cryptographic error, or {@code null}
     */
    public SecretIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
