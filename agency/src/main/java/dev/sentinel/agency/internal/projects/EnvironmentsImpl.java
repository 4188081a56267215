package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.ENVIRONMENTS;

import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.agency.db.tables.records.EnvironmentsRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.Environment;
import dev.sentinel.agency.projects.EnvironmentChange;
import dev.sentinel.agency.projects.Environments;
import dev.sentinel.agency.projects.NewEnvironment;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.impl.DSL;

/** {@link Environments} on one transaction of a tenant. */
final class EnvironmentsImpl implements Environments {

    private final Tx tx;
    private final UUID tenant;

    EnvironmentsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(Projects.class).environments()");
    }

    private Repository<EnvironmentsRecord> repository() {
        return tx.table(ENVIRONMENTS);
    }

    @Override
    public Environment create(NewEnvironment environment) {
        Checks.required(environment, "create environment", "environment");
        Checks.authorize(tx, "environment:write", null);
        EnvironmentsRecord row = new EnvironmentsRecord();
        fill(row, environment.key(), environment.name(), environment.kind(), environment.url(), environment.notes());
        return environment(repository().insert(row));
    }

    @Override
    public Environment update(UUID environmentId, EnvironmentChange change) {
        Checks.required(environmentId, "update environment", "environmentId");
        Checks.required(change, "update environment", "change (start from Environment.change())");
        Checks.authorize(tx, "environment:write", null);
        EnvironmentsRecord row = repository().get(environmentId);
        fill(row, change.key(), change.name(), change.kind(), change.url(), change.notes());
        return environment(repository().update(row));
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
    public Environment get(UUID environmentId) {
        return environment(repository().get(Checks.required(environmentId, "get environment", "environmentId")));
    }

    @Override
    public Optional<Environment> byKey(String key) {
        Checks.required(key, "environment byKey", "key");
        return tx.dsl().selectFrom(ENVIRONMENTS)
                .where(ENVIRONMENTS.TENANT_ID.eq(tenant).and(ENVIRONMENTS.KEY.eq(key)))
                .fetchOptional(EnvironmentsImpl::environment);
    }

    @Override
    public List<Environment> list() {
        return tx.dsl().selectFrom(ENVIRONMENTS)
                .where(ENVIRONMENTS.TENANT_ID.eq(tenant))
                .orderBy(DSL.when(ENVIRONMENTS.KIND.eq(EnvironmentKind.DEVELOPMENT), 1)
                                .when(ENVIRONMENTS.KIND.eq(EnvironmentKind.STAGING), 2).otherwise(3),
                        ENVIRONMENTS.KEY)
                .fetch(EnvironmentsImpl::environment);
    }

    /** Sets every detail: a new environment's, or an update's (which replaces them all). */
    private static void fill(EnvironmentsRecord row, String key, String name, EnvironmentKind kind, String url, String notes) {
        row.setKey(key).setName(name).setKind(kind).setUrl(url).setNotes(notes);
    }

    private static Environment environment(EnvironmentsRecord r) {
        return new Environment(r.getId(), r.getKey(), r.getName(), r.getKind(), r.getUrl(), r.getNotes(),
                Checks.instant(r.getCreatedAt()), Checks.instant(r.getUpdatedAt()));
    }
}
