package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.EnvironmentKind;
import java.time.Instant;
import java.util.UUID;

/**
 * A deployment environment of the tenant, as stored. Immutable and thread-safe.
 *
 * @param id the id
 * @param key URL-safe, unique in the tenant
 * @param name 1 to 200 characters
 * @param kind development, staging or production
 * @param url an http(s) URL, or {@code null}
 * @param notes free text, or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Environment(UUID id, String key, String name, EnvironmentKind kind, String url, String notes,
        Instant createdAt, Instant updatedAt) {

    /**
     * The environment's details as they are, to change and pass to {@link Environments#update}.
     *
     * @return the details, validated
     */
    public EnvironmentChange change() {
        return new EnvironmentChange(key, name, kind, url, notes);
    }
}
