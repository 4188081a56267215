package dev.sentinel.core.internal;

import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Finds out whether the runtime role could bypass row-level security. Superusers and BYPASSRLS
 * roles skip RLS even with FORCE; the owner of a table, and any member of the owner role, can
 * disable it. The tenant pool's role must not be the system role or a member of it either: the
 * system scope's policies apply to that role.
 */
public final class RoleCheck {

    private static final String QUERY = """
            select r.rolname,
                   r.rolsuper,
                   r.rolbypassrls,
                   exists (select 1 from pg_catalog.pg_namespace n
                           where n.nspname = ? and pg_catalog.pg_has_role(r.oid, n.nspowner, 'MEMBER')) as owns_schema,
                   exists (select 1 from pg_catalog.pg_roles o
                           where o.rolname = ? and o.oid <> r.oid and pg_catalog.pg_has_role(r.oid, o.oid, 'MEMBER')) as in_owner_role,
                   exists (select 1 from pg_catalog.pg_roles s
                           where s.rolname = ? and pg_catalog.pg_has_role(r.oid, s.oid, 'MEMBER')) as in_system_role
              from pg_catalog.pg_roles r
             where r.rolname = current_user
            """;

    private RoleCheck() {
    }

    /**
     * Lists what is unsafe about the role that {@code dataSource} connects as.
     *
     * @param dataSource the runtime data source
     * @param roles the configured role names
     * @return the role name followed by one entry per problem; just the name if it is safe
     */
    public static List<String> problems(DataSource dataSource, Roles roles) {
        return problems(dataSource, roles, true);
    }

    /**
     * Lists what is unsafe about the role that {@code dataSource} connects as.
     *
     * @param dataSource the runtime or the system data source
     * @param roles the configured role names
     * @param tenantPool whether it is the tenant pool, whose role must not be able to enter the system scope
     * @return the role name followed by one entry per problem; just the name if it is safe
     */
    public static List<String> problems(DataSource dataSource, Roles roles, boolean tenantPool) {
        return CatalogRead.run(dataSource, tenantPool ? "the runtime role" : "the system role", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
                statement.setString(1, SchemaNames.SCHEMA);
                statement.setString(2, roles.owner());
                statement.setString(3, roles.system());
                List<String> result = new ArrayList<>();
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    result.add(row.getString("rolname"));
                    if (row.getBoolean("rolsuper")) {
                        result.add("is a superuser");
                    }
                    if (row.getBoolean("rolbypassrls")) {
                        result.add("has BYPASSRLS");
                    }
                    if (row.getBoolean("owns_schema")) {
                        result.add("owns (or is a member of the owner of) schema " + SchemaNames.SCHEMA);
                    }
                    if (row.getBoolean("in_owner_role")) {
                        result.add("is a member of the owner role " + roles.owner());
                    }
                    if (!tenantPool && !row.getBoolean("in_system_role")) {
                        result.add("is not the system role " + roles.system() + " (nor a member of it), so the system scope's"
                                + " policies do not apply to it");
                    }
                    if (tenantPool && row.getBoolean("in_system_role")) {
                        result.add("is (or is a member of) the system role " + roles.system() + ", so it may enter the system scope");
                    }
                }
                return result;
            }
        });
    }
}
