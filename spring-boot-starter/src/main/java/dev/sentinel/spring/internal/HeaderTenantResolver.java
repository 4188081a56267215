package dev.sentinel.spring.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.spring.TenantResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/**
 * The default {@link TenantResolver}: the tenant's and the user's ids from two headers, as a gateway
 * that authenticated the caller sets them. Thread-safe.
 */
public final class HeaderTenantResolver implements TenantResolver {

    private final String tenantHeader;
    private final String userHeader;

    /**
     * Creates the resolver.
     *
     * @param tenantHeader the tenant id's header
     * @param userHeader the user id's header
     */
    public HeaderTenantResolver(String tenantHeader, String userHeader) {
        this.tenantHeader = tenantHeader;
        this.userHeader = userHeader;
    }

    @Override
    public UUID tenantId(HttpServletRequest request) {
        return uuid(request, tenantHeader);
    }

    @Override
    public Actor actor(HttpServletRequest request) {
        return Actor.user(uuid(request, userHeader));
    }

    private static UUID uuid(HttpServletRequest request, String header) {
        String value = request.getHeader(header);
        if (value == null || value.isBlank()) {
            throw new MissingScopeException("The request has no " + header + " header");
        }
        // UUID.fromString accepts short groups such as 1-1-1-1-1; only the canonical form passes here.
        if (value.length() != 36) {
            throw new InvalidInputException("The " + header + " header is not a UUID");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("The " + header + " header is not a UUID", e);
        }
    }
}
