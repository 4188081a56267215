package dev.sentinel.agency.projects;

import java.util.Locale;

/** The kind of an environment, stored as text in {@code agency.environments.kind}. */
public enum EnvironmentKind {
    /** Where the service is developed. */
    DEVELOPMENT,
    /** Where releases are tried before production. */
    STAGING,
    /** What customers use. */
    PRODUCTION;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }
}
