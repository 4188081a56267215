package dev.sentinel.agency.integrations;

import java.util.List;
import java.util.Optional;

/**
 * The current tenant's connections to third-party providers, from {@code tx.attach(Integrations.class)}: a
 * thin layer over the generic repository of {@code agency.integrations}, which seals the token
 * columns ({@code sentinel:secret}) on every write and whose audit trigger records every change
 * with the tokens redacted. At most one connection per provider and tenant. Every call runs in the
 * caller's transaction. Tenant scope only (the system scope throws
 * {@link dev.sentinel.core.MissingScopeException}). Valid only inside its transaction; not
 * thread-safe.
 *
 * <p>Every write needs its permission ({@code integration:connect}, {@code integration:refresh},
 * {@code integration:disconnect}) and throws {@link dev.sentinel.core.PermissionDeniedException}
 * before writing anything without it. Reads need none, {@link #tokens} included: it is what the
 * service's own code calls to talk to the provider.
 */
public interface Integrations {

    /**
     * Connects the tenant to a provider: creates the connection, or reconnects the existing one
     * (whatever its state), replacing its tokens, scopes, configuration and account id. Status
     * becomes connected, {@code connectedAt} now, and any last error is cleared. Needs
     * {@code integration:connect}.
     *
     * @param connection what to store
     * @return the connection
     * @throws dev.sentinel.core.InvalidInputException if the configuration is not valid JSON
     * @throws dev.sentinel.core.UniqueViolationException if a concurrent transaction connected the same
     *     provider first (constraint {@code integrations_provider_key}); run the transaction again
     */
    Integration connect(NewIntegration connection);

    /**
     * Reads the connection to a provider.
     *
     * @param provider the provider's key
     * @return the connection, or empty if the tenant never connected it
     */
    Optional<Integration> find(String provider);

    /**
     * The tenant's connections, by provider.
     *
     * @return the connections
     */
    List<Integration> list();

    /**
     * The tokens of a connection, opened, to call the provider with.
     *
     * @param provider the provider's key
     * @return the tokens
     * @throws dev.sentinel.core.NotFoundException if the tenant has no connection to the provider
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is disconnected or pending (no tokens)
     */
    OAuthTokens tokens(String provider);

    /**
     * Stores the tokens of a refresh: a new access token and expiry, and a new refresh token if the
     * provider issued one (else the stored one is kept). A connection in error is connected again.
     * Needs {@code integration:refresh}.
     *
     * @param provider the provider's key
     * @param tokens the new tokens
     * @return the connection
     * @throws dev.sentinel.core.NotFoundException if the tenant has no connection to the provider
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is disconnected or pending: connect it instead
     */
    Integration refreshTokens(String provider, OAuthTokens tokens);

    /**
     * Records that the provider refused a call or a refresh: status error, with the message; the
     * tokens stay. Needs {@code integration:refresh}.
     *
     * @param provider the provider's key
     * @param message what the provider said, 1 to 2000 characters (never put a token in it: it is audited)
     * @return the connection
     * @throws dev.sentinel.core.NotFoundException if the tenant has no connection to the provider
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is disconnected or pending
     */
    Integration recordError(String provider, String message);

    /**
     * Disconnects: erases both tokens and their expiry, status disconnected. Scopes, configuration
     * and account id stay, for a later {@link #connect}. Needs {@code integration:disconnect}.
     *
     * @param provider the provider's key
     * @return the connection
     * @throws dev.sentinel.core.NotFoundException if the tenant has no connection to the provider
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is disconnected already
     */
    Integration disconnect(String provider);
}
