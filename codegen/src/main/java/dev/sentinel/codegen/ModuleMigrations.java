package dev.sentinel.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * One module's migrations in the plugin's {@code <modules>}: a module on top of Sentinel's kernel
 * (such as the agency domain) whose tables the project's migrations build on. Maven fills the fields
 * from the configuration:
 *
 * <pre>{@code
 * <modules>
 *   <module>
 *     <schema>agency</schema>
 *     <locations>
 *       <location>classpath:db/agency</location>
 *     </locations>
 *   </module>
 * </modules>
 * }</pre>
 *
 * <p>A {@code classpath:} location is looked up on the plugin's class path: add the module's jar
 * (such as {@code sentinel-agency}) as a dependency of the plugin. Not thread-safe; Maven's
 * configuration object.
 */
public class ModuleMigrations {

    /** The module's PostgreSQL schema, which also holds its Flyway history, such as {@code agency}. */
    private String schema;

    /** The module's Flyway locations, such as {@code classpath:db/agency}. */
    private List<String> locations = new ArrayList<>();

    /** Creates an empty entry; Maven sets the fields. */
    public ModuleMigrations() {
    }

    /**
     * Creates an entry.
     *
     * @param schema the module's schema
     * @param locations its Flyway locations
     */
    public ModuleMigrations(String schema, List<String> locations) {
        this.schema = schema;
        this.locations = new ArrayList<>(locations);
    }

    /**
     * The module's schema.
     *
     * @return the schema, or null if the configuration names none
     */
    public String getSchema() {
        return schema;
    }

    /**
     * The module's locations.
     *
     * @return the locations, possibly empty
     */
    public List<String> getLocations() {
        return locations == null ? List.of() : locations;
    }
}
