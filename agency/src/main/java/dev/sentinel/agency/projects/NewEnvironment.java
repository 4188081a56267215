package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.EnvironmentKind;
import dev.sentinel.core.InvalidInputException;

/**
 * An environment to add with {@link Environments#create}. Validated when made; the database checks the
 * same rules. Immutable and thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Environment prod = tx.attach(Projects.class).environments().create(
 *         NewEnvironment.of("prod", "Production", EnvironmentKind.PRODUCTION).withUrl("https://app.example.com"));
 * }</pre>
 *
 * @param key URL-safe, unique in the tenant: 1 to 63 lower-case letters, digits and hyphens, starting
 *     with a letter or digit
 * @param name 1 to 200 characters, not blank
 * @param kind development, staging or production
 * @param url an absolute http(s) URL, or {@code null}
 * @param notes up to 10,000 characters, or {@code null}
 */
public record NewEnvironment(String key, String name, EnvironmentKind kind, String url, String notes) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewEnvironment {
        EnvironmentRules.validate("NewEnvironment", key, name, kind, url, notes);
    }

    /**
     * An environment with a key, a name and a kind, without URL or notes.
     *
     * @param key the key
     * @param name the name
     * @param kind the kind
     * @return the details
     */
    public static NewEnvironment of(String key, String name, EnvironmentKind kind) {
        return new NewEnvironment(key, name, kind, null, null);
    }

    /**
     * Sets the key.
     *
     * @param value the key
     * @return a validated copy
     */
    public NewEnvironment withKey(String value) {
        return new NewEnvironment(value, name, kind, url, notes);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public NewEnvironment withName(String value) {
        return new NewEnvironment(key, value, kind, url, notes);
    }

    /**
     * Sets the kind.
     *
     * @param value the kind
     * @return a validated copy
     */
    public NewEnvironment withKind(EnvironmentKind value) {
        return new NewEnvironment(key, name, value, url, notes);
    }

    /**
     * Sets the URL.
     *
     * @param value an absolute http(s) URL, or {@code null}
     * @return a validated copy
     */
    public NewEnvironment withUrl(String value) {
        return new NewEnvironment(key, name, kind, value, notes);
    }

    /**
     * Sets the notes.
     *
     * @param value up to 10,000 characters, or {@code null}
     * @return a validated copy
     */
    public NewEnvironment withNotes(String value) {
        return new NewEnvironment(key, name, kind, url, value);
    }
}
