package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.SERVICES;

import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.agency.db.tables.records.ServicesRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.NewService;
import dev.sentinel.agency.projects.PriceList;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.projects.Service;
import dev.sentinel.agency.projects.ServiceChange;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.impl.DSL;

/** {@link PriceList} on one transaction of a tenant. */
final class PriceListImpl implements PriceList {

    private final Tx tx;
    private final UUID tenant;

    PriceListImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(Projects.class).priceList()");
    }

    private Repository<ServicesRecord> repository() {
        return tx.table(SERVICES);
    }

    @Override
    public Service create(NewService service) {
        Checks.required(service, "create service", "service");
        Checks.authorize(tx, "service:write", null);
        ServicesRecord row = new ServicesRecord();
        fill(row, service.code(), service.name(), service.description(), service.unit(), service.unitPrice(), service.currency(),
                service.taxRate());
        return service(repository().insert(row));
    }

    @Override
    public Service update(UUID serviceId, ServiceChange change) {
        Checks.required(serviceId, "update service", "serviceId");
        Checks.required(change, "update service", "change (start from Service.change())");
        Checks.authorize(tx, "service:write", null);
        ServicesRecord row = repository().get(serviceId);
        fill(row, change.code(), change.name(), change.description(), change.unit(), change.unitPrice(), change.currency(),
                change.taxRate());
        return service(repository().update(row));
    }

    @Override
    public Service deactivate(UUID serviceId) {
        return setActive(serviceId, false);
    }

    @Override
    public Service activate(UUID serviceId) {
        return setActive(serviceId, true);
    }

    private Service setActive(UUID serviceId, boolean active) {
        ServicesRecord service = repository().get(Checks.required(serviceId, (active ? "activate" : "deactivate"), "serviceId"));
        Checks.authorize(tx, "service:write", null);
        if (service.getActive() == active) {
            throw new InvalidStateTransitionException((active ? "activate" : "deactivate") + ": service " + service.getCode()
                    + " is " + (active ? "active" : "inactive") + " already");
        }
        return service(repository().update(service.setActive(active)));
    }

    @Override
    public Service softDelete(UUID serviceId, String reason) {
        Checks.required(serviceId, "softDelete service", "serviceId");
        Checks.authorize(tx, "service:write", null);
        return service(repository().softDelete(serviceId, reason));
    }

    @Override
    public Service get(UUID serviceId) {
        return service(repository().get(Checks.required(serviceId, "get service", "serviceId")));
    }

    @Override
    public Optional<Service> byCode(String code) {
        Checks.required(code, "service byCode", "code");
        return tx.dsl().selectFrom(SERVICES)
                .where(SERVICES.TENANT_ID.eq(tenant).and(SERVICES.CODE.eq(code)).and(SERVICES.DELETED_AT.isNull()))
                .fetchOptional(PriceListImpl::service);
    }

    @Override
    public List<Service> list(boolean includeInactive) {
        return tx.dsl().selectFrom(SERVICES)
                .where(SERVICES.TENANT_ID.eq(tenant).and(SERVICES.DELETED_AT.isNull())
                        .and(includeInactive ? DSL.noCondition() : SERVICES.ACTIVE.isTrue()))
                .orderBy(SERVICES.CODE)
                .fetch(PriceListImpl::service);
    }

    /** Sets every detail: a new service's, or an update's (which replaces them all). */
    private static void fill(ServicesRecord row, String code, String name, String description, ServiceUnit unit,
            BigDecimal unitPrice, String currency, BigDecimal taxRate) {
        row.setCode(code).setName(name).setDescription(description).setUnit(unit).setUnitPrice(unitPrice).setCurrency(currency)
                .setTaxRate(taxRate);
    }

    static Service service(ServicesRecord r) {
        return new Service(r.getId(), r.getCode(), r.getName(), r.getDescription(), r.getUnit(), r.getUnitPrice(),
                r.getCurrency(), r.getTaxRate(), r.getActive(), Checks.instant(r.getCreatedAt()), Checks.instant(r.getUpdatedAt()),
                Checks.instant(r.getDeletedAt()));
    }
}
