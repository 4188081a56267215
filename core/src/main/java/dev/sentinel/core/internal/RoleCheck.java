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
 * disable it.
 */
public final class RoleCheck {

    private static final String QUERY = """
            select r.rolname,
                   r.rolsuper,
                   r.rolbypassrls,
                   exists (select 1 from pg_catalog.pg_namespace n
                           where n.nspname = ? and pg_catalog.pg_has_role(r.oid, n.nspowner, 'MEMBER')) as owns_schema,
                   exists (select 1 from pg_catalog.pg_roles o
                           where o.rolname = ? and o.oid <> r.oid and pg_catalog.pg_has_role(r.oid, o.oid, 'MEMBER')) as in_owner_role
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
        return CatalogRead.run(dataSource, "the runtime role", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
                statement.setString(1, SchemaNames.SCHEMA);
                statement.setString(2, roles.owner());
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
                }
                return result;
            }
        });
    }
}
