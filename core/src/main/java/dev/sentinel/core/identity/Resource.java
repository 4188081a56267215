package dev.sentinel.core.identity;

import dev.sentinel.core.InvalidInputException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One row of a tenant that grants and API keys can be narrowed to, such as a project: its resource
 * type and its id. Resource types are rows of {@code sentinel.resource_types}, registered by the
 * migration that creates their table ({@code sentinel.register_resource_type('widget',
 * 'widgets', ...)}), so the database can check that a narrowed grant names a real row and
 * delete the grant with it. Immutable.
 *
 * @param type the resource type's key, such as {@code project}
 * @param id the row's id in the resource type's table
 */
public record Resource(String type, UUID id) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * Checks the parts.
     *
     * @throws InvalidInputException if the type is not a resource type key
     */
    public Resource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (!TYPE.matcher(type).matches()) {
            throw new InvalidInputException("Resource: type '" + type + "' is not a resource type key (lower-case letters,"
                    + " digits and underscores, starting with a letter, such as project)");
        }
    }

    /**
     * A resource.
     *
     * @param type the resource type's key, such as {@code project}
     * @param id the row's id
     * @return the resource
     */
    public static Resource of(String type, UUID id) {
        return new Resource(type, id);
    }

    @Override
    public String toString() {
        return type + " " + id;
    }
}
