package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.core.InvalidInputException;

/**
 * The new details of an environment for {@link Environments#update}, which replaces every one of them:
 * start from {@link Environment#change()} (the details as they are) and change what differs. Validated
 * when made; the database checks the same rules. Immutable and thread-safe; each {@code with...} method
 * returns a validated copy.
 *
 * <pre>{@code
 * Environment live = environments.update(prod.id(), prod.change().withName("Live"));
 * }</pre>
 *
 * @param key URL-safe, unique in the tenant: 1 to 63 lower-case letters, digits and hyphens, starting
 *     with a letter or digit
 * @param name 1 to 200 characters, not blank
 * @param kind development, staging or production
 * @param url an absolute http(s) URL, or {@code null}
 * @param notes up to 10,000 characters, or {@code null}
 */
public record EnvironmentChange(String key, String name, EnvironmentKind kind, String url, String notes) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public EnvironmentChange {
        EnvironmentRules.validate("EnvironmentChange", key, name, kind, url, notes);
    }

    /**
     * Sets the key.
     *
     * @param value the key
     * @return a validated copy
     */
    public EnvironmentChange withKey(String value) {
        return new EnvironmentChange(value, name, kind, url, notes);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public EnvironmentChange withName(String value) {
        return new EnvironmentChange(key, value, kind, url, notes);
    }

    /**
     * Sets the kind.
     *
     * @param value the kind
     * @return a validated copy
     */
    public EnvironmentChange withKind(EnvironmentKind value) {
        return new EnvironmentChange(key, name, value, url, notes);
    }

    /**
     * Sets the URL.
     *
     * @param value an absolute http(s) URL, or {@code null}
     * @return a validated copy
     */
    public EnvironmentChange withUrl(String value) {
        return new EnvironmentChange(key, name, kind, value, notes);
    }

    /**
     * Sets the notes.
     *
     * @param value up to 10,000 characters, or {@code null}
     * @return a validated copy
     */
    public EnvironmentChange withNotes(String value) {
        return new EnvironmentChange(key, name, kind, url, value);
    }
}
