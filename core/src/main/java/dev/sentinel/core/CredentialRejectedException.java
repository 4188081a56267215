package dev.sentinel.core;

/**
 * A presented API key or refresh token was not accepted. The {@link #reason} is for the service's
 * logs and metrics; tell the client only that the credential was not accepted. The message never
 * contains the credential.
 */
public class CredentialRejectedException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /** Why a credential was rejected. */
    public enum Reason {
        /** Not in the format Sentinel issues. */
        MALFORMED,
        /** No key or token with that lookup value exists (in the tenant it names). */
        UNKNOWN,
        /** The lookup value exists but the secret part is wrong. */
        WRONG_SECRET,
        /** Past its expiry. */
        EXPIRED,
        /** Revoked. */
        REVOKED,
        /** A refresh token that had already been rotated was used again: its whole family is now revoked. */
        REUSED,
        /** The user the refresh token belongs to is disabled ({@code users.status}); it stays valid for when they are re-enabled. */
        USER_DISABLED
    }

    /** Why the credential was rejected (serialized with the exception). */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the credential was rejected
     * @param message what was rejected, without the credential itself
     */
    public CredentialRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why the credential was rejected.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
