package dev.sentinel.schema.internal;

import dev.sentinel.schema.SchemaNames;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Flyway as Sentinel configures it for one layer of versioned SQL migrations (the kernel's schema
 * or a module's): shared by {@code Migrations} and the codegen plugin's machine-cache template,
 * which must leave the same database and history.
 */
public final class LayerFlyway {

    private LayerFlyway() {
    }

    /**
     * Flyway for one layer.
     *
     * @param classLoader the loader that sees the migrations and Flyway
     * @param sessions the owner's connections, as {@link MigrationSessions} hands them out
     * @param schema the layer's schema, which also holds its history table
     * @param locations the layer's migration locations
     * @param placeholders Flyway's placeholders
     * @return Flyway, loaded
     */
    public static Flyway of(ClassLoader classLoader, DataSource sessions, String schema, List<String> locations,
                            Map<String, String> placeholders) {
        return Flyway.configure(classLoader)
                .dataSource(sessions)
                .schemas(schema)
                .createSchemas(true)
                // The kernel's SELECTs (sentinel.distribute) would print result tables at INFO.
                .outputQueryResults(false)
                .table(SchemaNames.HISTORY_TABLE)
                .locations(locations.toArray(String[]::new))
                .failOnMissingLocations(true)
                .placeholders(placeholders)
                .cleanDisabled(true)
                .load();
    }
}
