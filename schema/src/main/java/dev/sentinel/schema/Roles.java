package dev.sentinel.schema;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The two database roles Sentinel works with: the owner, which owns every object and runs the
 * migrations, and the application role, which the service connects as at run time.
 *
 * <p>The names reach the migrations through the Flyway placeholders {@link #OWNER_PLACEHOLDER} and
 * {@link #APP_PLACEHOLDER}; those keys are public API, and a service's own migrations may use them
 * too (for example in a {@code GRANT}). Names are validated as plain lower-case SQL identifiers, so
 * they can be written into SQL unquoted. Instances are immutable and thread-safe.
 *
 * @param owner the owning role: not a superuser, owns the objects, runs migrations
 * @param app the runtime role: never owner, superuser, BYPASSRLS or a member of the owner role
 */
public record Roles(String owner, String app) {

    /** Flyway placeholder key whose value is the owner role's name. */
    public static final String OWNER_PLACEHOLDER = "sentinel_owner_role";

    /** Flyway placeholder key whose value is the application role's name. */
    public static final String APP_PLACEHOLDER = "sentinel_app_role";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Validates the names.
     *
     * @throws IllegalArgumentException if a name is not a lower-case identifier of at most 63
     *     characters, or both names are the same
     */
    public Roles {
        requireIdentifier("owner", owner);
        requireIdentifier("app", app);
        if (owner.equals(app)) {
            throw new IllegalArgumentException("Roles: owner and app role are both '" + owner
                    + "'; the application role must be a different role from the owner, "
                    + "or row-level security does not apply to it");
        }
    }

    /**
     * The default names, {@code sentinel_owner} and {@code sentinel_app}.
     *
     * @return the default roles
     */
    public static Roles defaults() {
        return new Roles("sentinel_owner", "sentinel_app");
    }

    /**
     * The Flyway placeholders that carry these names into the migrations.
     *
     * @return an immutable map from placeholder key to role name
     */
    public Map<String, String> placeholders() {
        return Map.of(OWNER_PLACEHOLDER, owner, APP_PLACEHOLDER, app);
    }

    static String requireIdentifier(String what, String name) {
        Objects.requireNonNull(name, what + " role name");
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Roles: " + what + " role name '" + name
                    + "' is not a plain SQL identifier; use lower-case letters, digits and"
                    + " underscores, starting with a letter or underscore, at most 63 characters");
        }
        return name;
    }
}
