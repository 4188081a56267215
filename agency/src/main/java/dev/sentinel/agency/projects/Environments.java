package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.tables.records.EnvironmentsRecord;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.UniqueViolationException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's deployment environments, from {@code tx.attach(Projects.class).environments()}. Environments are
 * not soft-deleted: deleting one removes it (the audit trail keeps what it was). Writes require
 * {@code environment:write}. Valid only inside its transaction. Not thread-safe.
 */
public interface Environments {

    /**
     * Adds an environment.
     *
     * @param environment {@code key} (URL-safe, unique in the tenant), {@code name} and {@code kind}
     *     required; {@code url} must be an http(s) URL if set
     * @return the stored environment
     * @throws InvalidInputException naming the field that does not fit
     * @throws UniqueViolationException if the tenant has an environment with the key
     */
    EnvironmentsRecord create(EnvironmentsRecord environment);

    /**
     * Saves changed fields of an environment read from {@link #get}.
     *
     * @param environment the environment, read and then changed
     * @return the stored environment
     * @throws InvalidInputException naming the field that does not fit
     * @throws NotFoundException if no such environment is visible
     */
    EnvironmentsRecord update(EnvironmentsRecord environment);

    /**
     * Deletes an environment.
     *
     * @param environmentId the environment
     * @throws NotFoundException if no such environment is visible
     */
    void delete(UUID environmentId);

    /**
     * The environment with this id.
     *
     * @param environmentId the environment
     * @return the environment
     * @throws NotFoundException if no such environment is visible
     */
    EnvironmentsRecord get(UUID environmentId);

    /**
     * The environment with this key.
     *
     * @param key the key
     * @return the environment, or empty
     */
    Optional<EnvironmentsRecord> byKey(String key);

    /**
     * The tenant's environments: development, then staging, then production, each by key.
     *
     * @return the environments
     */
    List<EnvironmentsRecord> list();
}
