package dev.sentinel.core.internal;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.Resource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.Record;

/**
 * Permission checks of one transaction. The actor's grants are read in one query on the first
 * check and kept until the transaction ends or changes a role or assignment, so a service can check
 * before every write without paying a round trip each time. A disabled user's grants do not count.
 */
final class Authorizer {

    static final Pattern PERMISSION = Pattern.compile("[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)+");

    /**
     * The role ids that count for a user: global grants, then (with a tenant) an active member's
     * grants with the resource they are narrowed to, if any.
     */
    private static final String GRANTED_ROLES = """
            select role_id, null::text as resource_type, null::uuid as resource_id
              from sentinel.global_role_assignments where user_id = ?
            union all
            select a.role_id, a.resource_type, a.resource_id
              from sentinel.tenant_role_assignments a
              join sentinel.tenant_members m on m.tenant_id = a.tenant_id and m.user_id = a.user_id and m.status = 'active'
             where a.tenant_id = ? and a.user_id = ?""";

    /**
     * Whether the actor is active, then their permissions: one row with a null key when they hold
     * none, or are disabled, whose grants then do not count.
     */
    private static final String ACTOR_PERMISSIONS = "select a.active, p.key, g.resource_type, g.resource_id"
            + " from (select sentinel.user_is_active(?) as active) a"
            + " left join ((" + GRANTED_ROLES + ") g"
            + " join sentinel.role_permissions rp on rp.role_id = g.role_id"
            + " join sentinel.permissions p on p.id = rp.permission_id) on a.active";

    private static final String CAN = "select sentinel.user_is_active(?) and exists (select from (" + GRANTED_ROLES + ") g"
            + " join sentinel.role_permissions rp on rp.role_id = g.role_id"
            + " join sentinel.permissions p on p.id = rp.permission_id and p.key = ?"
            + " where g.resource_id is null or (g.resource_type = ? and g.resource_id = ?))";

    private final TxImpl tx;
    private boolean active;
    private Set<String> wide;
    private Map<Resource, Set<String>> byResource;

    Authorizer(TxImpl tx) {
        this.tx = tx;
    }

    void authorize(String permission, Resource resource) {
        requireKey(permission);
        if (tx.actor().serviceName().isPresent()) {
            return;
        }
        UUID user = tx.actor().userId().orElseThrow();
        if (wide == null) {
            load(user);
        }
        if (wide.contains(permission) || (resource != null && byResource.getOrDefault(resource, Set.of()).contains(permission))) {
            return;
        }
        String where = tx.tenantId().map(t -> "tenant " + t + (resource == null ? "" : ", " + resource))
                .orElse("the system scope");
        if (!active) {
            throw new PermissionDeniedException("User " + user + " is disabled or does not exist, and holds no permission,"
                    + " so '" + permission + "' is refused in " + where + ": nothing was written. A system-scope operator"
                    + " re-enables them with tx.users().changeStatus(id, UserStatus.ACTIVE)");
        }
        throw new PermissionDeniedException("User " + user + " does not hold permission '" + permission + "' in " + where
                + ": nothing was written. Assign the user a role that grants it (tx.roles().assign),"
                + " or act as a service if this is the service's own work");
    }

    boolean can(UUID userId, String permission, AccessScope scope) {
        requireKey(permission);
        if (userId == null || scope == null) {
            throw new InvalidInputException("can: userId and scope are required");
        }
        UUID tenant = scope.tenantId();
        if (tenant != null && !tx.isSystemScope() && !tenant.equals(tx.tenantId().orElse(null))) {
            throw new TenantMismatchException("can: this transaction is scoped to tenant " + tx.tenantId().orElse(null)
                    + " and cannot read the grants of tenant " + tenant + "; ask in that tenant's scope or the system scope");
        }
        return Boolean.TRUE.equals(tx.dsl().fetchSingle(CAN, userId, userId, tenant, userId, permission,
                scope.narrowedTo().map(Resource::type).orElse(null), scope.narrowedTo().map(Resource::id).orElse(null))
                .get(0, Boolean.class));
    }

    /** Forgets the cached grants, after this transaction changed roles or assignments. */
    void invalidate() {
        wide = null;
        byResource = null;
    }

    private void load(UUID user) {
        Set<String> loadedWide = new HashSet<>();
        Map<Resource, Set<String>> loadedByResource = new HashMap<>();
        boolean loadedActive = false;
        for (Record row : tx.dsl().fetch(ACTOR_PERMISSIONS, user, user, tx.tenantId().orElse(null), user)) {
            loadedActive = Boolean.TRUE.equals(row.get(0, Boolean.class));
            String key = row.get(1, String.class);
            String resourceType = row.get(2, String.class);
            if (key == null) {
                continue;
            }
            if (resourceType == null) {
                loadedWide.add(key);
            } else {
                loadedByResource.computeIfAbsent(new Resource(resourceType, row.get(3, UUID.class)), r -> new HashSet<>()).add(key);
            }
        }
        active = loadedActive;
        wide = loadedWide;
        byResource = loadedByResource;
    }

    static void requireKey(String permission) {
        if (permission == null || permission.length() > 200 || !PERMISSION.matcher(permission).matches()) {
            String shown = permission == null ? "null" : "'" + (permission.length() > 60 ? permission.substring(0, 60) + "..." : permission) + "'";
            throw new InvalidInputException("Permission " + shown + " is malformed: use"
                    + " resource:action in lower case, such as invoice:issue");
        }
    }
}
