package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.tables.records.ServicesRecord;
import dev.sentinel.core.InvalidInputException;
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
     * Adds a service.
     *
     * @param service {@code code}, {@code name}, {@code unit_price} and {@code currency} required;
     *     {@code unit} defaults to hour, {@code tax_rate} to 0
     * @return the stored service
     * @throws InvalidInputException naming the field that does not fit
     * @throws UniqueViolationException if a live service of the tenant has the code
     */
    ServicesRecord create(ServicesRecord service);

    /**
     * Saves changed fields of a service read from {@link #get}. Booked time keeps the rate it was
     * booked at.
     *
     * @param service the service, read and then changed
     * @return the stored service
     * @throws InvalidInputException naming the field that does not fit
     * @throws NotFoundException if no such live service is visible
     */
    ServicesRecord update(ServicesRecord service);

    /**
     * Takes a service off the list: it stays readable, but no new time can be booked as it.
     *
     * @param serviceId the service
     * @return the stored service
     * @throws InvalidStateTransitionException if it is inactive already
     * @throws NotFoundException if no such live service is visible
     */
    ServicesRecord deactivate(UUID serviceId);

    /**
     * Puts a deactivated service back on the list.
     *
     * @param serviceId the service
     * @return the stored service
     * @throws InvalidStateTransitionException if it is active already
     * @throws NotFoundException if no such live service is visible
     */
    ServicesRecord activate(UUID serviceId);

    /**
     * Soft-deletes a service; its code is free again.
     *
     * @param serviceId the service
     * @param reason why, 1 to 1000 characters
     * @return the deleted service
     * @throws NotFoundException if no such service is visible
     * @throws InvalidStateTransitionException if it is deleted already
     */
    ServicesRecord softDelete(UUID serviceId, String reason);

    /**
     * The live service with this id.
     *
     * @param serviceId the service
     * @return the service
     * @throws NotFoundException if no such live service is visible
     */
    ServicesRecord get(UUID serviceId);

    /**
     * The live service with this code.
     *
     * @param code the code
     * @return the service, or empty
     */
    Optional<ServicesRecord> byCode(String code);

    /**
     * The live services, by code.
     *
     * @param includeInactive whether deactivated services are listed too
     * @return the services
     */
    List<ServicesRecord> list(boolean includeInactive);
}
