package dev.sentinel.testing.internal;

import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What a template database holds: Sentinel's migrations, and the service's if any. Test classes
 * with equal specs share one template.
 *
 * @param roles the role names
 * @param serviceLocations the service's Flyway locations, possibly empty
 * @param serviceSchema the service's schema
 * @param placeholders Flyway placeholders for both runs
 */
public record MigrationSpec(Roles roles, List<String> serviceLocations, String serviceSchema,
        Map<String, String> placeholders) {

    /** Copies the collections. */
    public MigrationSpec {
        serviceLocations = List.copyOf(serviceLocations);
        placeholders = Map.copyOf(placeholders);
    }

    /**
     * Applies the migrations as the owner.
     *
     * @param owner connections as the owner role on the template database
     */
    void migrate(DataSource owner) {
        Migrations.builder(owner)
                .roles(roles)
                .serviceLocations(serviceLocations.toArray(String[]::new))
                .serviceSchema(serviceSchema)
                .placeholders(placeholders)
                .build()
                .migrate();
    }
}
