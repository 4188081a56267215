package dev.sentinel.agency.integrations;

import dev.sentinel.core.InvalidInputException;
import java.time.Instant;
import java.util.Optional;

/**
 * OAuth tokens as a provider issued them, in clear text: what {@link Integrations#connect} and
 * {@link Integrations#refreshTokens} store (sealed) and {@link Integrations#tokens} returns (opened).
 * {@link #toString()} never shows a token. Immutable.
 *
 * @param accessToken the access token, 1 to 16,384 characters
 * @param refreshToken the refresh token, 1 to 16,384 characters, or {@code null} if the provider
 *     issued none (on a refresh: none new, so the stored one is kept)
 * @param expiresAt when the access token expires, or {@code null} if the provider does not say
 */
public record OAuthTokens(String accessToken, String refreshToken, Instant expiresAt) {

    private static final int MAX = 16_384;

    /**
     * Validates the tokens.
     *
     * @throws InvalidInputException if a token is empty or too long (the message never contains it)
     */
    public OAuthTokens {
        if (accessToken == null || accessToken.isEmpty() || accessToken.length() > MAX) {
            throw new InvalidInputException("OAuthTokens: the access token must be 1 to " + MAX + " characters");
        }
        if (refreshToken != null && (refreshToken.isEmpty() || refreshToken.length() > MAX)) {
            throw new InvalidInputException("OAuthTokens: the refresh token must be 1 to " + MAX + " characters, or null");
        }
    }

    /**
     * Tokens without a refresh token or an expiry.
     *
     * @param accessToken the access token
     * @return the tokens
     */
    public static OAuthTokens access(String accessToken) {
        return new OAuthTokens(accessToken, null, null);
    }

    /**
     * The refresh token.
     *
     * @return the token, or empty if there is none
     */
    public Optional<String> refresh() {
        return Optional.ofNullable(refreshToken);
    }

    /**
     * Never the tokens.
     *
     * @return the shape of the value, with the tokens redacted
     */
    @Override
    public String toString() {
        return "OAuthTokens[accessToken=[redacted], refreshToken=" + (refreshToken == null ? "none" : "[redacted]")
                + ", expiresAt=" + expiresAt + "]";
    }
}
