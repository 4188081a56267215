package dev.sentinel.core.internal;

import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.identity.Resource;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record2;
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
        // One round trip: whether the type is registered, and only then whether the row is live.
        Record2<Boolean, Boolean> found = dsl.resultQuery("select exists (select from sentinel.resource_types where key = ?),"
                        + " case when exists (select from sentinel.resource_types where key = ?)"
                        + " then sentinel.resource_exists(?, ?) end", resource.type(), resource.type(), resource.type(), resource.id())
                .coerce(DSL.field("registered", Boolean.class), DSL.field("live", Boolean.class)).fetchSingle();
        if (!Boolean.TRUE.equals(found.value1())) {
            throw new NotFoundException(operation + ": there is no resource type '" + resource.type() + "'; a module's"
                    + " migration registers it with sentinel.register_resource_type");
        }
        if (!Boolean.TRUE.equals(found.value2())) {
            throw new NotFoundException(operation + ": tenant " + tenant + " has no live " + resource.type() + " " + resource.id());
        }
    }
}
