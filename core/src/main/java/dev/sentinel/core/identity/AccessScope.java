package dev.sentinel.core.identity;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a permission is asked for: the whole platform, one tenant, or one resource of a tenant (such
 * as a project). A global grant counts everywhere, a tenant-wide grant in its tenant and all its
 * resources, a grant narrowed to a resource only there. Immutable.
 *
 * @param tenantId the tenant, or null for the global scope
 * @param resource the resource, or null for the whole tenant
 */
public record AccessScope(UUID tenantId, Resource resource) {

    /**
     * Checks that a resource names its tenant.
     *
     * @throws IllegalArgumentException if a resource is given without a tenant
     */
    public AccessScope {
        if (resource != null && tenantId == null) {
            throw new IllegalArgumentException("AccessScope: a resource scope needs its tenant; use AccessScope.resource(tenantId, resource)");
        }
    }

    /**
     * The whole platform: only global grants count.
     *
     * @return the scope
     */
    public static AccessScope global() {
        return new AccessScope(null, null);
    }

    /**
     * One tenant: global and tenant-wide grants count.
     *
     * @param tenantId the tenant
     * @return the scope
     */
    public static AccessScope tenant(UUID tenantId) {
        return new AccessScope(Objects.requireNonNull(tenantId, "tenantId"), null);
    }

    /**
     * One resource of a tenant: global, tenant-wide and this resource's grants count.
     *
     * @param tenantId the resource's tenant
     * @param resource the resource, such as {@code Resource.of("project", projectId)}
     * @return the scope
     */
    public static AccessScope resource(UUID tenantId, Resource resource) {
        return new AccessScope(Objects.requireNonNull(tenantId, "tenantId"), Objects.requireNonNull(resource, "resource"));
    }

    /**
     * The tenant.
     *
     * @return the tenant, or empty for the global scope
     */
    public Optional<UUID> tenant() {
        return Optional.ofNullable(tenantId);
    }

    /**
     * The resource.
     *
     * @return the resource, or empty for a tenant or the global scope
     */
    public Optional<Resource> narrowedTo() {
        return Optional.ofNullable(resource);
    }
}
