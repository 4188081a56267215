package dev.sentinel.codegen.internal;

/**
 * A step of code generation failed. The message names the step and what to change; the cause is
 * always kept.
 */
public final class GenerationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and what to change
     * @param cause the underlying failure, or null when the message is the whole story
     */
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
