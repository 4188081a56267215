package dev.sentinel.agency.billing;

import java.util.Optional;
import java.util.UUID;

/**
 * The clients of the current tenant, from {@code tx.attach(Clients.class)}: the customers that
 * {@link Invoices} bills. Every call runs in the caller's transaction and commits or rolls back with
 * it. Tenant scope only (in the system scope every method throws
 * {@link dev.sentinel.core.MissingScopeException}). Every write requires {@code client:write} and is
 * audited by the database's triggers; reads require no permission. Valid only inside its
 * transaction; not thread-safe.
 *
 * <pre>{@code
 * Client acme = tx.attach(Clients.class).create(NewClient.of("Acme GmbH").withCurrency("EUR"));
 * tx.attach(Clients.class).update(acme.id(), acme.change().withBillingEmail("ap@acme.example"));
 * }</pre>
 */
public interface Clients {

    /**
     * Creates a client. Permission {@code client:write}.
     *
     * @param client name, address, tax id, currency, notes
     * @return the client
     * @throws dev.sentinel.core.InvalidInputException if {@code client} is null
     */
    Client create(NewClient client);

    /**
     * Replaces a live client's details. Permission {@code client:write}.
     *
     * @param clientId the client
     * @param change every detail, as it should be ({@link Client#change()} gives the current ones)
     * @return the client
     * @throws dev.sentinel.core.NotFoundException if there is no live client with that id
     */
    Client update(UUID clientId, ClientChange change);

    /**
     * Soft-deletes a client: hidden from reads, kept for the invoices that name it; no new draft can
     * name it, and a draft naming it cannot be issued. Permission {@code client:write}.
     *
     * @param clientId the client
     * @param reason why, 1 to 1000 characters
     * @return the client, with {@code deletedAt} set
     * @throws dev.sentinel.core.NotFoundException if there is no live client with that id
     */
    Client delete(UUID clientId, String reason);

    /**
     * Reads a live client.
     *
     * @param clientId the client
     * @return the client, or empty if there is no live client with that id in this tenant
     */
    Optional<Client> find(UUID clientId);
}
