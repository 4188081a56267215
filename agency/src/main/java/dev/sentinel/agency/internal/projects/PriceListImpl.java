package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.SERVICES;

import dev.sentinel.agency.db.tables.records.ServicesRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.PriceList;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link PriceList} on one transaction of a tenant. */
final class PriceListImpl implements PriceList {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final BigDecimal HUNDRED = new BigDecimal(100);

    private final Tx tx;
    private final UUID tenant;

    PriceListImpl(Tx tx) {
        this.tx = tx;
        this.tenant = Checks.tenant(tx, "tx.attach(Projects.class).priceList()");
    }

    private Repository<ServicesRecord> repository() {
        return tx.table(SERVICES);
    }

    @Override
    public ServicesRecord create(ServicesRecord service) {
        Checks.required(service, "create service", "service");
        Checks.authorize(tx, "service:write", null);
        validate(service, "create service");
        return repository().insert(service);
    }

    @Override
    public ServicesRecord update(ServicesRecord service) {
        Checks.required(service, "update service", "service");
        Checks.required(service.getId(), "update service", "id (read the service with get first)");
        Checks.authorize(tx, "service:write", null);
        validate(service, "update service");
        return repository().update(service);
    }

    @Override
    public ServicesRecord deactivate(UUID serviceId) {
        return setActive(serviceId, false);
    }

    @Override
    public ServicesRecord activate(UUID serviceId) {
        return setActive(serviceId, true);
    }

    private ServicesRecord setActive(UUID serviceId, boolean active) {
        ServicesRecord service = get(serviceId);
        Checks.authorize(tx, "service:write", null);
        if (service.getActive() == active) {
            throw new InvalidStateTransitionException((active ? "activate" : "deactivate") + ": service " + service.getCode()
                    + " is " + (active ? "active" : "inactive") + " already");
        }
        return repository().update(service.setActive(active));
    }

    @Override
    public ServicesRecord softDelete(UUID serviceId, String reason) {
        Checks.required(serviceId, "softDelete service", "serviceId");
        Checks.authorize(tx, "service:write", null);
        return repository().softDelete(serviceId, reason);
    }

    @Override
    public ServicesRecord get(UUID serviceId) {
        return repository().get(Checks.required(serviceId, "get service", "serviceId"));
    }

    @Override
    public Optional<ServicesRecord> byCode(String code) {
        Checks.required(code, "service byCode", "code");
        return tx.dsl().selectFrom(SERVICES)
                .where(SERVICES.TENANT_ID.eq(tenant).and(SERVICES.CODE.eq(code)).and(SERVICES.DELETED_AT.isNull()))
                .fetchOptional();
    }

    @Override
    public List<ServicesRecord> list(boolean includeInactive) {
        return tx.dsl().selectFrom(SERVICES)
                .where(SERVICES.TENANT_ID.eq(tenant).and(SERVICES.DELETED_AT.isNull())
                        .and(includeInactive ? SERVICES.ACTIVE.isNotNull() : SERVICES.ACTIVE.isTrue()))
                .orderBy(SERVICES.CODE)
                .fetch();
    }

    private static void validate(ServicesRecord service, String op) {
        Checks.matches(service.getCode(), CODE, op, "code",
                "1 to 32 letters, digits, '_', '.' or '-', starting with a letter or digit");
        Checks.text(service.getName(), op, "name", 200);
        Checks.required(service.getUnitPrice(), op, "unit_price");
        Checks.optionalNonNegative(service.getUnitPrice(), op, "unit_price");
        Checks.required(service.getCurrency(), op, "currency");
        Checks.optionalCurrency(service.getCurrency(), op, "currency");
        BigDecimal tax = service.getTaxRate();
        if (tax != null && (tax.signum() < 0 || tax.compareTo(HUNDRED) > 0)) {
            throw new InvalidInputException(op + ": tax_rate " + tax.toPlainString() + " is outside 0..100 (percent)");
        }
        if (service.getDescription() != null && service.getDescription().length() > 10_000) {
            throw new InvalidInputException(op + ": description is longer than 10000 characters");
        }
    }
}
