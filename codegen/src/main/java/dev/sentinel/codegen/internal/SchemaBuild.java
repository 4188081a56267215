package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Roles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One validated code generation request.
 *
 * @param inputSchema the schema to generate
 * @param packageName the target package
 * @param directory the target directory
 * @param locations the project's Flyway locations, empty for Sentinel's own schema
 * @param placeholders Flyway placeholders for both runs
 * @param roles role names for the bootstrap and the placeholders
 * @param workDirectory where the plugin keeps its own files (the server log)
 */
public record SchemaBuild(
        String inputSchema,
        String packageName,
        Path directory,
        List<String> locations,
        Map<String, String> placeholders,
        Roles roles,
        Path workDirectory) {

    /** Copies the collections. */
    public SchemaBuild {
        locations = List.copyOf(locations);
        placeholders = Map.copyOf(placeholders);
    }
}
