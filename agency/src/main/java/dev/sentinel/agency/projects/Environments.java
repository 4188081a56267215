package dev.sentinel.agency.projects;

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
     * @param environment the details
     * @return the stored environment
     * @throws UniqueViolationException if the tenant has an environment with the key
     */
    Environment create(NewEnvironment environment);

    /**
     * Replaces the details of an environment.
     *
     * @param environmentId the environment
     * @param change the new details: start from {@link Environment#change()}
     * @return the stored environment
     * @throws NotFoundException if no such environment is visible
     * @throws UniqueViolationException if the tenant has another environment with the new key
     */
    Environment update(UUID environmentId, EnvironmentChange change);

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
    Environment get(UUID environmentId);

    /**
     * The environment with this key.
     *
     * @param key the key
     * @return the environment, or empty
     */
    Optional<Environment> byKey(String key);

    /**
     * The tenant's environments: development, then staging, then production, each by key.
     *
     * @return the environments
     */
    List<Environment> list();
}
