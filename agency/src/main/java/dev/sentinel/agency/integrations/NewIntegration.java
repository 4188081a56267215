package dev.sentinel.agency.integrations;

import dev.sentinel.core.InvalidInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@link Integrations#connect} stores: the provider, the tokens it issued, the scopes it
 * granted, and settings. Immutable; each method returns a validated copy. {@link #toString()} never
 * shows a token.
 *
 * <pre>{@code
 * tx.attach(Integrations.class).connect(NewIntegration.of("google", new OAuthTokens(access, refresh, expiresAt))
 *         .scopes(List.of("openid", "https://www.googleapis.com/auth/calendar"))
 *         .configJson("{\"calendar\": \"primary\"}").externalAccountId("acme.example"));
 * }</pre>
 *
 * @param provider a lower-case key of 2 to 32 characters ({@code a-z}, {@code 0-9}, {@code _}),
 *     starting with a letter, such as {@code google} or {@code slack}
 * @param tokens the tokens
 * @param scopes the granted scopes: up to 100 OAuth scope tokens (RFC 6749: printable ASCII without
 *     space, {@code "} or {@code \}), up to 512 characters each; repeats are dropped
 * @param configJson provider settings as a JSON object; default {@code {}}. Not for secrets: it is
 *     stored and audited in clear text
 * @param externalAccountId the account or workspace id at the provider (up to 512 characters), or {@code null}
 */
public record NewIntegration(String provider, OAuthTokens tokens, List<String> scopes, String configJson,
        String externalAccountId) {

    static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9_]{1,31}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,512}");

    /**
     * Validates the values.
     *
     * @throws InvalidInputException naming the value that does not fit (never a token)
     */
    public NewIntegration {
        provider(provider);
        if (tokens == null) {
            throw new InvalidInputException("NewIntegration: tokens is null");
        }
        if (scopes == null) {
            throw new InvalidInputException("NewIntegration: scopes is null; use List.of() for none");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw new InvalidInputException("NewIntegration: scope '" + scope + "' is not an OAuth scope token"
                        + " (1 to 512 printable ASCII characters, no space, \" or \\)");
            }
            unique.add(scope);
        }
        if (unique.size() > 100) {
            throw new InvalidInputException("NewIntegration: " + unique.size() + " scopes; at most 100 are allowed");
        }
        scopes = List.copyOf(unique);
        if (configJson == null || !configJson.strip().startsWith("{")) {
            throw new InvalidInputException("NewIntegration: configJson must be a JSON object such as {\"calendar\": \"primary\"}");
        }
        if (externalAccountId != null && (externalAccountId.isBlank() || externalAccountId.length() > 512)) {
            throw new InvalidInputException("NewIntegration: externalAccountId must be 1 to 512 characters, or null");
        }
    }

    /**
     * A connection with no scopes, an empty configuration and no account id.
     *
     * @param provider the provider's key
     * @param tokens the tokens it issued
     * @return the connection
     */
    public static NewIntegration of(String provider, OAuthTokens tokens) {
        return new NewIntegration(provider, tokens, List.of(), "{}", null);
    }

    /**
     * Sets the granted scopes.
     *
     * @param scopes the scopes
     * @return a copy
     */
    public NewIntegration scopes(List<String> scopes) {
        return new NewIntegration(provider, tokens, scopes, configJson, externalAccountId);
    }

    /**
     * Sets the provider settings.
     *
     * @param configJson a JSON object
     * @return a copy
     */
    public NewIntegration configJson(String configJson) {
        return new NewIntegration(provider, tokens, scopes, configJson, externalAccountId);
    }

    /**
     * Sets the account or workspace id at the provider.
     *
     * @param externalAccountId the id, or {@code null}
     * @return a copy
     */
    public NewIntegration externalAccountId(String externalAccountId) {
        return new NewIntegration(provider, tokens, scopes, configJson, externalAccountId);
    }

    /**
     * Checks a provider key.
     *
     * @param provider the key
     * @return the key
     * @throws InvalidInputException if it is malformed
     */
    static String provider(String provider) {
        if (provider == null || !PROVIDER.matcher(provider).matches()) {
            throw new InvalidInputException("provider '" + provider + "' must be 2 to 32 characters of a-z, 0-9 and _,"
                    + " starting with a letter, such as google or slack");
        }
        return provider;
    }

    /**
     * Never the tokens.
     *
     * @return the connection with its tokens redacted
     */
    @Override
    public String toString() {
        return "NewIntegration[provider=" + provider + ", tokens=" + tokens + ", scopes=" + scopes + ", configJson=" + configJson
                + ", externalAccountId=" + externalAccountId + "]";
    }
}
