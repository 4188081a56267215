package dev.sentinel.agency.internal.billing;

import static dev.sentinel.agency.db.Tables.CLIENTS;

import dev.sentinel.agency.billing.Client;
import dev.sentinel.agency.billing.ClientChange;
import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.db.tables.records.ClientsRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Tx;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link Clients} on one transaction of a tenant, through the kernel's repository of
 * {@code agency.clients} (tenant-scoped, audited, soft-deleting). Not thread-safe, as its transaction.
 */
public final class ClientsImpl implements Clients {

    private final Tx tx;

    /**
     * Binds the clients to a transaction.
     *
     * @param tx the transaction
     */
    public ClientsImpl(Tx tx) {
        this.tx = tx;
    }

    /** The tenant, checked on every call: in the system scope each one throws MissingScopeException. */
    private void tenant() {
        tx.requireTenantId("tx.attach(Clients.class)");
    }

    @Override
    public Client create(NewClient client) {
        Checks.required(client, "create", "client");
        tenant();
        Checks.authorize(tx, "client:write", null);
        ClientsRecord record = new ClientsRecord();
        fill(record, client.name(), client.billingEmail(), client.addressLine1(), client.addressLine2(), client.postalCode(),
                client.city(), client.region(), client.countryCode(), client.taxId(), client.currency(), client.notes());
        return client(tx.table(CLIENTS).insert(record));
    }

    @Override
    public Client update(UUID clientId, ClientChange change) {
        Checks.required(clientId, "update", "clientId");
        Checks.required(change, "update", "change");
        ClientsRecord record = liveClient(clientId, "update");
        Checks.authorize(tx, "client:write", null);
        fill(record, change.name(), change.billingEmail(), change.addressLine1(), change.addressLine2(), change.postalCode(),
                change.city(), change.region(), change.countryCode(), change.taxId(), change.currency(), change.notes());
        return client(tx.table(CLIENTS).update(record));
    }

    @Override
    public Client delete(UUID clientId, String reason) {
        Checks.required(clientId, "delete", "clientId");
        Checks.text(reason, "delete", "reason", Billing.MAX_REASON);
        liveClient(clientId, "delete");
        Checks.authorize(tx, "client:write", null);
        return client(tx.table(CLIENTS).softDelete(clientId, reason));
    }

    @Override
    public Optional<Client> find(UUID clientId) {
        Checks.required(clientId, "find", "clientId");
        tenant();
        return tx.table(CLIENTS).find(clientId).map(ClientsImpl::client);
    }

    private ClientsRecord liveClient(UUID clientId, String operation) {
        tenant();
        return tx.table(CLIENTS).find(clientId).orElseThrow(() -> new NotFoundException(operation + ": no live client "
                + clientId + " in this tenant"));
    }

    /** Sets every detail: a new client's, or an update's (which replaces them all). */
    private static void fill(ClientsRecord record, String name, String billingEmail, String addressLine1,
            String addressLine2, String postalCode, String city, String region, String countryCode, String taxId,
            String currency, String notes) {
        record.setName(name)
                .setBillingEmail(billingEmail)
                .setAddressLine1(addressLine1)
                .setAddressLine2(addressLine2)
                .setPostalCode(postalCode)
                .setCity(city)
                .setRegion(region)
                .setCountryCode(countryCode)
                .setTaxId(taxId)
                .setCurrency(currency)
                .setNotes(notes);
    }

    private static Client client(ClientsRecord r) {
        return new Client(r.getId(), r.getName(), r.getBillingEmail(), r.getAddressLine1(), r.getAddressLine2(),
                r.getPostalCode(), r.getCity(), r.getRegion(), r.getCountryCode(), r.getTaxId(), r.getCurrency(), r.getNotes(),
                Checks.instant(r.getCreatedAt()), Checks.instant(r.getUpdatedAt()), Checks.instant(r.getDeletedAt()));
    }
}
