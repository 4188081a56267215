package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.SignInFailure;
import java.util.UUID;

/**
 * One sign-in attempt as the service's authentication saw it. Immutable.
 *
 * @param email the address as entered
 * @param userId the user it belongs to, or null if none
 * @param ipAddress the client's IP address, or null
 * @param userAgent the client's user agent, or null
 * @param failure why it failed, or null if it succeeded
 */
public record SignInAttempt(String email, UUID userId, String ipAddress, String userAgent, SignInFailure failure) {

    /**
     * A successful attempt.
     *
     * @param email the address
     * @param userId the user
     * @param ipAddress the client's IP address, or null
     * @return the attempt
     */
    public static SignInAttempt succeeded(String email, UUID userId, String ipAddress) {
        return new SignInAttempt(email, userId, ipAddress, null, null);
    }

    /**
     * A failed attempt.
     *
     * @param email the address
     * @param userId the user, or null if none has the address
     * @param ipAddress the client's IP address, or null
     * @param failure why it failed
     * @return the attempt
     */
    public static SignInAttempt failed(String email, UUID userId, String ipAddress, SignInFailure failure) {
        return new SignInAttempt(email, userId, ipAddress, null, failure);
    }
}
