package dev.sentinel.core.identity;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a permission is asked for: the whole platform, one tenant, or one project of a tenant. A
 * global grant counts everywhere, a tenant-wide grant in its tenant and all its projects, a project
 * grant only in its project. Immutable.
 *
 * @param tenantId the tenant, or null for the global scope
 * @param projectId the project, or null for the whole tenant
 */
public record AccessScope(UUID tenantId, UUID projectId) {

    /**
     * Checks that a project names its tenant.
     *
     * @throws IllegalArgumentException if a project is given without a tenant
     */
    public AccessScope {
        if (projectId != null && tenantId == null) {
            throw new IllegalArgumentException("AccessScope: a project scope needs its tenant; use AccessScope.project(tenantId, projectId)");
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
     * One project: global, tenant-wide and this project's grants count.
     *
     * @param tenantId the project's tenant
     * @param projectId the project
     * @return the scope
     */
    public static AccessScope project(UUID tenantId, UUID projectId) {
        return new AccessScope(Objects.requireNonNull(tenantId, "tenantId"), Objects.requireNonNull(projectId, "projectId"));
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
     * The project.
     *
     * @return the project, or empty for a tenant or the global scope
     */
    public Optional<UUID> project() {
        return Optional.ofNullable(projectId);
    }
}
