package dev.sentinel.codegen.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the plugin does with the schema linter's findings after the migrations ran. */
public enum LintMode {

    /** Fail the build on any finding (the default). */
    FAIL,

    /** Log the findings as warnings and generate anyway. */
    WARN,

    /** Do not lint. */
    OFF;

    /**
     * The name used in the plugin's configuration.
     *
     * @return the lower-case name, such as {@code fail}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value.
     *
     * @param value such as {@code warn}; case does not matter
     * @return the mode, or empty if {@code value} names none
     */
    public static Optional<LintMode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        return Arrays.stream(values()).filter(m -> m.configName().equalsIgnoreCase(trimmed)).findFirst();
    }
}
