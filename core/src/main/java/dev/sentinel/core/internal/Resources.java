package dev.sentinel.core.internal;

import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.identity.Resource;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Checks of {@link Resource}s against {@code sentinel.resource_types} and their tables. */
final class Resources {

    private Resources() {
    }

    /**
     * Checks that a resource is a live row of the tenant, asking the database
     * ({@code sentinel.resource_exists}), which knows each resource type's table.
     *
     * @throws NotFoundException if the type is not registered or the row does not exist (or is soft-deleted)
     */
    static void requireLive(DSLContext dsl, String operation, UUID tenant, Resource resource) {
        // One round trip and one read of the type: no row means the type is not registered.
        Optional<Boolean> live = dsl.resultQuery("select sentinel.resource_exists(key, ?) from sentinel.resource_types"
                        + " where key = ?", resource.id(), resource.type())
                .coerce(DSL.field("live", Boolean.class)).fetchOptional(0, Boolean.class);
        if (live.isEmpty()) {
            throw new NotFoundException(operation + ": there is no resource type '" + resource.type() + "'; a module's"
                    + " migration registers it with sentinel.register_resource_type");
        }
        if (!live.get()) {
            throw new NotFoundException(operation + ": tenant " + tenant + " has no live " + resource.type() + " " + resource.id());
        }
    }

    /** The resource's type, or null for none (a tenant-wide grant or key): the resource_type column. */
    static String type(Resource resource) {
        return resource == null ? null : resource.type();
    }

    /** The resource's id, or null for none: the resource_id column. */
    static UUID id(Resource resource) {
        return resource == null ? null : resource.id();
    }

    /** The resource a resource_type and resource_id column pair names, or null when they are null. */
    static Resource of(String type, UUID id) {
        return type == null ? null : new Resource(type, id);
    }
}
