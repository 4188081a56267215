package dev.sentinel.spring;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.MissingScopeException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/**
 * Says which tenant a web request acts for and who acts, for the {@link dev.sentinel.core.Scope}
 * argument of controller methods. The starter's default reads two headers
 * ({@code sentinel.web.tenant-header}, {@code sentinel.web.user-header}), which suits a service
 * behind a gateway that authenticates and sets them; a service that authenticates itself declares
 * a bean of this type that reads its principal instead. Implementations are thread-safe.
 */
public interface TenantResolver {

    /**
     * The tenant of a request.
     *
     * @param request the request
     * @return the tenant's id
     * @throws MissingScopeException if the request names no tenant
     * @throws InvalidInputException if it names one in a malformed way
     */
    UUID tenantId(HttpServletRequest request);

    /**
     * Who acts in a request.
     *
     * @param request the request
     * @return the actor
     * @throws MissingScopeException if the request names no actor
     * @throws InvalidInputException if it names one in a malformed way
     */
    Actor actor(HttpServletRequest request);
}
