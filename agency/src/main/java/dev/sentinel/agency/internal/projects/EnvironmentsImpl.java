package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.ENVIRONMENTS;

import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.agency.db.tables.records.EnvironmentsRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.Environments;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jooq.impl.DSL;

/** {@link Environments} on one transaction of a tenant. */
final class EnvironmentsImpl implements Environments {

    private final Tx tx;
    private final UUID tenant;

    EnvironmentsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = Checks.tenant(tx, "tx.attach(Projects.class).environments()");
    }

    private Repository<EnvironmentsRecord> repository() {
        return tx.table(ENVIRONMENTS);
    }

    @Override
    public EnvironmentsRecord create(EnvironmentsRecord environment) {
        Checks.required(environment, "create environment", "environment");
        Checks.authorize(tx, "environment:write", null);
        validate(environment, "create environment");
        return repository().insert(environment);
    }

    @Override
    public EnvironmentsRecord update(EnvironmentsRecord environment) {
        Checks.required(environment, "update environment", "environment");
        Checks.required(environment.getId(), "update environment", "id (read the environment with get first)");
        Checks.authorize(tx, "environment:write", null);
        validate(environment, "update environment");
        return repository().update(environment);
    }

    @Override
    public void delete(UUID environmentId) {
        Checks.required(environmentId, "delete environment", "environmentId");
        Checks.authorize(tx, "environment:write", null);
        int deleted = tx.dsl().deleteFrom(ENVIRONMENTS)
                .where(ENVIRONMENTS.TENANT_ID.eq(tenant).and(ENVIRONMENTS.ID.eq(environmentId)))
                .execute();
        if (deleted == 0) {
            throw new NotFoundException("delete environment: no environment " + environmentId + " in tenant " + tenant);
        }
    }

    @Override
    public EnvironmentsRecord get(UUID environmentId) {
        return repository().get(Checks.required(environmentId, "get environment", "environmentId"));
    }

    @Override
    public Optional<EnvironmentsRecord> byKey(String key) {
        Checks.required(key, "environment byKey", "key");
        return tx.dsl().selectFrom(ENVIRONMENTS)
                .where(ENVIRONMENTS.TENANT_ID.eq(tenant).and(ENVIRONMENTS.KEY.eq(key)))
                .fetchOptional();
    }

    @Override
    public List<EnvironmentsRecord> list() {
        return tx.dsl().selectFrom(ENVIRONMENTS)
                .where(ENVIRONMENTS.TENANT_ID.eq(tenant))
                .orderBy(DSL.when(ENVIRONMENTS.KIND.eq(EnvironmentKind.DEVELOPMENT), 1)
                                .when(ENVIRONMENTS.KIND.eq(EnvironmentKind.STAGING), 2).otherwise(3),
                        ENVIRONMENTS.KEY)
                .fetch();
    }

    private static void validate(EnvironmentsRecord environment, String op) {
        Checks.matches(environment.getKey(), Checks.SLUG, op, "key",
                "1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit");
        Checks.text(environment.getName(), op, "name", 200);
        Checks.required(environment.getKind(), op, "kind");
        if (environment.getUrl() != null) {
            url(environment.getUrl(), op);
        }
        if (environment.getNotes() != null && environment.getNotes().length() > 10_000) {
            throw new InvalidInputException(op + ": notes are longer than 10000 characters");
        }
    }

    private static void url(String url, String op) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || url.length() > 2000) {
                throw new InvalidInputException(op + ": url '" + url + "' must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException(op + ": url '" + url + "' is not a URL: " + e.getReason(), e);
        }
    }
}
