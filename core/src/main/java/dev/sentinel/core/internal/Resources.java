package dev.sentinel.core.internal;

import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.identity.Resource;
import java.util.UUID;
import org.jooq.DSLContext;

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
        Boolean registered = dsl.fetchValue("select exists (select from sentinel.resource_types where key = ?)", resource.type());
        if (!Boolean.TRUE.equals(registered)) {
            throw new NotFoundException(operation + ": there is no resource type '" + resource.type() + "'; a module's"
                    + " migration registers it with sentinel.register_resource_type");
        }
        if (!Boolean.TRUE.equals(dsl.fetchValue("select sentinel.resource_exists(?, ?)", resource.type(), resource.id()))) {
            throw new NotFoundException(operation + ": tenant " + tenant + " has no live " + resource.type() + " " + resource.id());
        }
    }
}
