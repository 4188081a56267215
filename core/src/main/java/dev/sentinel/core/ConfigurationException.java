package dev.sentinel.core;

/** The {@link Sentinel} configuration is invalid; the message names the setting and the fix. Nothing was started. */
public class ConfigurationException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public ConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
