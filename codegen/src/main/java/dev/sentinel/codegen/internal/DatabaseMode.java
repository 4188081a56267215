package dev.sentinel.codegen.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where the plugin gets its PostgreSQL from. */
public enum DatabaseMode {

    /** An embedded PostgreSQL (zonky), started for the build and stopped after it. */
    EMBEDDED,

    /** A PostgreSQL container, started through Testcontainers; needs a Docker engine. */
    TESTCONTAINERS,

    /** An existing server named by a JDBC URL; the plugin creates a scratch database and drops it. */
    JDBC;

    /**
     * The name used in the plugin's configuration.
     *
     * @return the lower-case name, such as {@code embedded}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value.
     *
     * @param value such as {@code embedded}; case does not matter
     * @return the mode, or empty if {@code value} names none
     */
    public static Optional<DatabaseMode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        return Arrays.stream(values()).filter(m -> m.configName().equalsIgnoreCase(trimmed)).findFirst();
    }
}
