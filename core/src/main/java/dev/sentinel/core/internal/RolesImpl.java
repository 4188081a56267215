package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.db.enums.RoleScope;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.Resource;
import dev.sentinel.core.identity.Role;
import dev.sentinel.core.identity.RoleGrant;
import dev.sentinel.core.identity.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;

/** {@link Roles} on one transaction. Plain SQL: each operation is one or two short statements. */
final class RolesImpl implements Roles {

    private static final Pattern ROLE_KEY = Pattern.compile("[a-z][a-z0-9_.]{0,62}");
    private static final String ROLE_COLUMNS = "r.id, r.key, r.name, r.scope,"
            + " coalesce((select array_agg(p.key order by p.key) from sentinel.role_permissions rp"
            + " join sentinel.permissions p on p.id = rp.permission_id where rp.role_id = r.id), '{}')";

    private final TxImpl tx;

    RolesImpl(TxImpl tx) {
        this.tx = tx;
    }

    private DSLContext dsl() {
        return tx.dsl();
    }

    @Override
    public Role define(String key, String name, RoleScope scope, Set<String> permissions) {
        if (!tx.isSystemScope()) {
            throw new MissingScopeException("roles().define: roles are global definitions; define them in the system scope"
                    + " (sentinel.system(actor))");
        }
        if (key == null || !ROLE_KEY.matcher(key).matches()) {
            throw new InvalidInputException("roles().define: role key '" + key + "' must be lower-case letters, digits, '_'"
                    + " or '.', starting with a letter, at most 63 characters");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("roles().define: the name of role '" + key + "' must be 1 to 200 characters");
        }
        if (scope == null || permissions == null) {
            throw new InvalidInputException("roles().define: scope and permissions are required (an empty set for none)");
        }
        permissions.forEach(Authorizer::requireKey);
        tx.authorize("role:define");
        String[] keys = permissions.toArray(String[]::new);
        Record existing = dsl().fetchOptional("select id, scope from sentinel.roles where key = ?", key).orElse(null);
        UUID id;
        if (existing == null) {
            id = Ids.next();
            dsl().execute("insert into sentinel.roles (id, key, name, scope) values (?, ?, ?, ?)", id, key, name, scope.literal());
        } else {
            id = existing.get(0, UUID.class);
            if (!existing.get(1, String.class).equals(scope.literal())) {
                throw new InvalidInputException("roles().define: role '" + key + "' exists with scope "
                        + existing.get(1, String.class) + "; a role's scope cannot change (define a new role instead)");
            }
            dsl().execute("update sentinel.roles set name = ? where id = ? and name <> ?", name, id, name);
        }
        dsl().execute("insert into sentinel.permissions (id, key) select gen_random_uuid(), k from unnest(?::text[]) k"
                + " on conflict (key) do nothing", (Object) keys);
        dsl().execute("delete from sentinel.role_permissions rp using sentinel.permissions p"
                + " where rp.role_id = ? and p.id = rp.permission_id and not p.key = any(?::text[])", id, keys);
        dsl().execute("insert into sentinel.role_permissions (role_id, permission_id)"
                + " select ?, p.id from sentinel.permissions p where p.key = any(?::text[]) on conflict do nothing", id, keys);
        tx.authorizer().invalidate();
        return find(key).orElseThrow();
    }

    @Override
    public Optional<Role> find(String key) {
        return dsl().fetchOptional("select " + ROLE_COLUMNS + " from sentinel.roles r where r.key = ?", key).map(RolesImpl::role);
    }

    @Override
    public List<Role> list() {
        return dsl().fetch("select " + ROLE_COLUMNS + " from sentinel.roles r order by r.key").map(RolesImpl::role);
    }

    @Override
    public void assign(UUID userId, String roleKey) {
        assign(userId, roleKey, null, "assign");
    }

    @Override
    public void assign(UUID userId, String roleKey, Resource resource) {
        if (resource == null) {
            throw new InvalidInputException("roles().assign: resource is null; use assign(userId, roleKey) for a tenant-wide grant");
        }
        assign(userId, roleKey, resource, "assign");
    }

    private void assign(UUID userId, String roleKey, Resource resource, String operation) {
        if (userId == null) {
            throw new InvalidInputException("roles()." + operation + ": userId is null");
        }
        assign(userId, requireRole(roleKey, resource, operation), resource);
    }

    /** Assigns a role already looked up with {@link #requireRole}, so a caller that checked it first reads it once. */
    void assign(UUID userId, Role role, Resource resource) {
        tx.authorize("role:assign");
        UUID grantedBy = tx.actor().userId().orElse(null);
        if (tx.isSystemScope()) {
            if (dsl().fetchOptional("select from sentinel.users where id = ? and deleted_at is null", userId).isEmpty()) {
                throw new NotFoundException("roles().assign: there is no live user " + userId);
            }
            dsl().execute("insert into sentinel.global_role_assignments (id, user_id, role_id, granted_by) values (?, ?, ?, ?)"
                    + " on conflict (user_id, role_id) do nothing", Ids.next(), userId, role.id(), grantedBy);
        } else {
            UUID tenant = tx.tenantId().orElseThrow();
            if (dsl().fetchOptional("select from sentinel.tenant_members where tenant_id = ? and user_id = ? and status <> 'removed'",
                    tenant, userId).isEmpty()) {
                throw new NotFoundException("roles().assign: user " + userId + " is not a member of tenant " + tenant
                        + "; add or invite them first (tx.members())");
            }
            if (resource != null) {
                Resources.requireLive(dsl(), "roles().assign", tenant, resource);
            }
            dsl().execute("insert into sentinel.tenant_role_assignments (tenant_id, id, user_id, role_id, resource_type, resource_id,"
                    + " granted_by) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing", tenant, Ids.next(), userId, role.id(),
                    Resources.type(resource), Resources.id(resource), grantedBy);
        }
        tx.authorizer().invalidate();
    }

    @Override
    public boolean revoke(UUID userId, String roleKey) {
        return revoke(userId, roleKey, null, "revoke");
    }

    @Override
    public boolean revoke(UUID userId, String roleKey, Resource resource) {
        if (resource == null) {
            throw new InvalidInputException("roles().revoke: resource is null; use revoke(userId, roleKey) for a tenant-wide grant");
        }
        return revoke(userId, roleKey, resource, "revoke");
    }

    private boolean revoke(UUID userId, String roleKey, Resource resource, String operation) {
        Role role = requireRole(roleKey, resource, operation);
        tx.authorize("role:assign");
        int removed = tx.isSystemScope()
                ? dsl().execute("delete from sentinel.global_role_assignments where user_id = ? and role_id = ?", userId, role.id())
                : dsl().execute("delete from sentinel.tenant_role_assignments where tenant_id = ? and user_id = ? and role_id = ?"
                        + " and resource_type is not distinct from ? and resource_id is not distinct from ?", tx.tenantId().orElseThrow(),
                        userId, role.id(), Resources.type(resource), Resources.id(resource));
        tx.authorizer().invalidate();
        return removed > 0;
    }

    @Override
    public List<RoleGrant> grantsOf(UUID userId) {
        List<RoleGrant> grants = new ArrayList<>();
        for (Record row : dsl().fetch("select r.key, a.granted_by from sentinel.global_role_assignments a"
                + " join sentinel.roles r on r.id = a.role_id where a.user_id = ? order by r.key", userId)) {
            grants.add(new RoleGrant(userId, row.get(0, String.class), AccessScope.global(), row.get(1, UUID.class)));
        }
        for (Record row : dsl().fetch("select r.key, a.tenant_id, a.resource_type, a.resource_id, a.granted_by"
                + " from sentinel.tenant_role_assignments a join sentinel.roles r on r.id = a.role_id where a.user_id = ?"
                + " order by r.key, a.tenant_id, a.resource_type nulls first, a.resource_id",
                userId)) {
            grants.add(new RoleGrant(userId, row.get(0, String.class),
                    new AccessScope(row.get(1, UUID.class), Resources.of(row.get(2, String.class), row.get(3, UUID.class))),
                    row.get(4, UUID.class)));
        }
        return grants;
    }

    Role requireRole(String roleKey, Resource resource, String operation) {
        Role role = find(roleKey).orElseThrow(() -> new NotFoundException("roles()." + operation + ": there is no role '"
                + roleKey + "'; define it in the system scope with tx.roles().define(...)"));
        RoleScope needed = tx.isSystemScope() ? RoleScope.GLOBAL : RoleScope.TENANT;
        if (role.scope() != needed) {
            throw new InvalidInputException("roles()." + operation + ": role '" + roleKey + "' is a " + role.scope().literal()
                    + " role; " + (needed == RoleScope.GLOBAL ? "tenant roles are assigned in a tenant scope"
                    : "global roles are assigned in the system scope"));
        }
        if (resource != null && tx.isSystemScope()) {
            throw new InvalidInputException("roles()." + operation + ": a grant narrowed to a resource is made in the"
                    + " resource's tenant scope");
        }
        return role;
    }

    private static Role role(Record row) {
        return new Role(row.get(0, UUID.class), row.get(1, String.class), row.get(2, String.class),
                RoleScope.ofLiteral(row.get(3, String.class)), Set.of(row.get(4, String[].class)));
    }
}
