package dev.sentinel.agency.projects;

import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.UniqueViolationException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's price list (table {@code services}), from {@code tx.attach(Projects.class).priceList()}: what it
 * sells, per unit, in a currency. A service no longer offered is deactivated, not deleted, so that
 * old time entries and invoice lines keep pointing at it. Writes require {@code service:write}.
 * Valid only inside its transaction. Not thread-safe.
 */
public interface PriceList {

    /**
     * Adds a service, active.
     *
     * @param service the details
     * @return the stored service
     * @throws UniqueViolationException if a live service of the tenant has the code
     */
    Service create(NewService service);

    /**
     * Replaces the details of a service. Booked time keeps the rate it was booked at.
     *
     * @param serviceId the service
     * @param change the new details: start from {@link Service#change()}
     * @return the stored service
     * @throws NotFoundException if no such live service is visible
     * @throws UniqueViolationException if another live service of the tenant has the new code
     */
    Service update(UUID serviceId, ServiceChange change);

    /**
     * Takes a service off the list: it stays readable, but no new time can be booked as it.
     *
     * @param serviceId the service
     * @return the stored service
     * @throws InvalidStateTransitionException if it is inactive already
     * @throws NotFoundException if no such live service is visible
     */
    Service deactivate(UUID serviceId);

    /**
     * Puts a deactivated service back on the list.
     *
     * @param serviceId the service
     * @return the stored service
     * @throws InvalidStateTransitionException if it is active already
     * @throws NotFoundException if no such live service is visible
     */
    Service activate(UUID serviceId);

    /**
     * Soft-deletes a service; its code is free again.
     *
     * @param serviceId the service
     * @param reason why, 1 to 1000 characters
     * @return the deleted service
     * @throws NotFoundException if no such service is visible
     * @throws InvalidStateTransitionException if it is deleted already
     */
    Service softDelete(UUID serviceId, String reason);

    /**
     * The live service with this id.
     *
     * @param serviceId the service
     * @return the service
     * @throws NotFoundException if no such live service is visible
     */
    Service get(UUID serviceId);

    /**
     * The live service with this code.
     *
     * @param code the code
     * @return the service, or empty
     */
    Optional<Service> byCode(String code);

    /**
     * The live services, by code.
     *
     * @param includeInactive whether deactivated services are listed too
     * @return the services
     */
    List<Service> list(boolean includeInactive);
}
