package dev.sentinel.schema;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The three database roles Sentinel works with: the owner, which owns every object and runs the
 * migrations; the application role, which the service's tenant pool connects as at run time; and
 * the system role, which the system scope's own pool connects as (claims, sealing, tenant and user
 * administration). The application role has exactly one policy per tenant table, the tenant's; only
 * the system role (and the owner) have the system scope's.
 *
 * <p>The names reach the migrations through the Flyway placeholders {@link #OWNER_PLACEHOLDER},
 * {@link #APP_PLACEHOLDER} and {@link #SYSTEM_PLACEHOLDER}; those keys are public API, and a
 * service's own migrations may use them too (for example in a {@code GRANT}). The role bootstrap
 * makes the system role a member of the application role, so it holds every privilege granted to
 * the application role. Names are validated as plain lower-case SQL identifiers, so they can be
 * written into SQL unquoted. Instances are immutable and thread-safe.
 *
 * @param owner the owning role: not a superuser, owns the objects, runs migrations
 * @param app the tenant pool's runtime role: never owner, superuser, BYPASSRLS or a member of the owner role
 * @param system the system scope's runtime role: never owner, superuser, BYPASSRLS or a member of the
 *     owner role; a member of the application role
 */
public record Roles(String owner, String app, String system) {

    /** Flyway placeholder key whose value is the owner role's name. */
    public static final String OWNER_PLACEHOLDER = "sentinel_owner_role";

    /** Flyway placeholder key whose value is the application role's name. */
    public static final String APP_PLACEHOLDER = "sentinel_app_role";

    /** Flyway placeholder key whose value is the system role's name. */
    public static final String SYSTEM_PLACEHOLDER = "sentinel_system_role";

    /** The system role's default name, also the one {@link #Roles(String, String)} takes. */
    public static final String DEFAULT_SYSTEM = "sentinel_system";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Validates the names.
     *
     * @throws IllegalArgumentException if a name is not a lower-case identifier of at most 63
     *     characters, or two names are the same
     */
    public Roles {
        requireIdentifier("owner", owner);
        requireIdentifier("app", app);
        requireIdentifier("system", system);
        if (owner.equals(app)) {
            throw new IllegalArgumentException("Roles: owner and app role are both '" + owner
                    + "'; the application role must be a different role from the owner, "
                    + "or row-level security does not apply to it");
        }
        if (system.equals(owner) || system.equals(app)) {
            throw new IllegalArgumentException("Roles: the system role '" + system + "' is also the "
                    + (system.equals(owner) ? "owner" : "application") + " role; give the system scope a role"
                    + " of its own (default " + DEFAULT_SYSTEM + "), or the tenant pool could enter it");
        }
    }

    /**
     * The owner and application roles, with the system role {@value #DEFAULT_SYSTEM}.
     *
     * @param owner the owning role
     * @param app the tenant pool's runtime role
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Roles(String owner, String app) {
        this(owner, app, DEFAULT_SYSTEM);
    }

    /**
     * The default names, {@code sentinel_owner}, {@code sentinel_app} and {@code sentinel_system}.
     *
     * @return the default roles
     */
    public static Roles defaults() {
        return new Roles("sentinel_owner", "sentinel_app", DEFAULT_SYSTEM);
    }

    /**
     * The Flyway placeholders that carry these names into the migrations.
     *
     * @return an immutable map from placeholder key to role name
     */
    public Map<String, String> placeholders() {
        return Map.of(OWNER_PLACEHOLDER, owner, APP_PLACEHOLDER, app, SYSTEM_PLACEHOLDER, system);
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
