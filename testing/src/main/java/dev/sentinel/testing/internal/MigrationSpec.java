package dev.sentinel.testing.internal;

import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What a template database holds: Sentinel's migrations, the modules' if any, and the service's if
 * any. Test classes with equal specs share one template.
 *
 * @param roles the role names
 * @param modules the modules' migrations, in the order they are applied, possibly empty
 * @param serviceLocations the service's Flyway locations, possibly empty
 * @param serviceSchema the service's schema
 * @param placeholders Flyway placeholders for every run (kernel, modules, project)
 */
public record MigrationSpec(Roles roles, List<Migrations.Layer> modules, List<String> serviceLocations, String serviceSchema,
        Map<String, String> placeholders) {

    /** Copies the collections. */
    public MigrationSpec {
        modules = List.copyOf(modules);
        serviceLocations = List.copyOf(serviceLocations);
        placeholders = Map.copyOf(placeholders);
    }

    /**
     * Applies the migrations as the owner.
     *
     * @param owner connections as the owner role on the template database
     */
    void migrate(DataSource owner) {
        Migrations.Builder migrations = Migrations.builder(owner)
                .roles(roles)
                .serviceLocations(serviceLocations.toArray(String[]::new))
                .serviceSchema(serviceSchema)
                .placeholders(placeholders);
        modules.forEach(migrations::module);
        migrations.build().migrate();
    }

    /**
     * Every schema the migrations write: Sentinel's, the modules', and the service's.
     *
     * @return the schema names
     */
    public List<String> schemas() {
        List<String> schemas = new ArrayList<>();
        schemas.add(SchemaNames.SCHEMA);
        modules.forEach(module -> schemas.add(module.schema()));
        schemas.add(serviceSchema);
        return schemas;
    }
}
