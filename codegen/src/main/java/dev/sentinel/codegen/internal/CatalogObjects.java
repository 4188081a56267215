package dev.sentinel.codegen.internal;

import dev.sentinel.schema.SchemaNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which objects of the migrated catalog jOOQ is told to leave out, read before it runs.
 *
 * <ul>
 *   <li><b>Extensions' objects.</b> {@code create extension pgcrypto} in the project's schema puts
 *       its routines there ({@code digest}, {@code pgp_armor_headers}, a table-valued function),
 *       and jOOQ would generate a class for each into the project's package. Objects that depend
 *       on an extension ({@code pg_depend.deptype = 'e'}) are left out unless
 *       {@code <extensionObjects>true</extensionObjects>}.</li>
 *   <li><b>Sentinel's objects nobody references.</b> jOOQ reads Sentinel's schema only so that a
 *       foreign key into it ({@code notes.tenant_id} to {@code sentinel.tenants}) resolves to
 *       sentinel-core's classes, whose files are then thrown away. Reading every one of Sentinel's
 *       tables and routines costs time and prints jOOQ's warnings about keys of tables the project
 *       never sees, so only the tables the project's foreign keys reach (and the tables those
 *       reach) are kept.</li>
 * </ul>
 *
 * <p>Stateless.
 */
final class CatalogObjects {

    private CatalogObjects() {
    }

    /**
     * The relations, routines and types of {@code schema} that belong to an extension.
     *
     * @param connection a connection to the migrated database
     * @param schema the schema
     * @return the objects' names and kinds
     * @throws SQLException if the catalog cannot be read
     */
    static Objects extensionObjects(Connection connection, String schema) throws SQLException {
        Set<String> relations = names(connection, """
                select c.relname from pg_catalog.pg_class c
                  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                  join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                       and d.deptype = 'e'
                 where n.nspname = ?""", schema);
        Set<String> others = names(connection, """
                select p.proname from pg_catalog.pg_proc p
                  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                  join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid
                       and d.deptype = 'e'
                 where n.nspname = ?
                union
                select t.typname from pg_catalog.pg_type t
                  join pg_catalog.pg_namespace n on n.oid = t.typnamespace
                  join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_type'::regclass and d.objid = t.oid
                       and d.deptype = 'e'
                 where n.nspname = ?""", schema, schema);
        return new Objects(relations, others);
    }

    /**
     * Sentinel's relations, routines and types that no foreign key of {@code inputSchema} reaches,
     * directly or through other of Sentinel's tables.
     *
     * @param connection a connection to the migrated database
     * @param inputSchema the project's schema
     * @return the names of Sentinel's objects to leave out
     * @throws SQLException if the catalog cannot be read
     */
    static Set<String> unreferencedSentinelObjects(Connection connection, String inputSchema) throws SQLException {
        return names(connection, """
                with recursive reached(oid) as (
                    select f.confrelid from pg_catalog.pg_constraint f
                      join pg_catalog.pg_class c on c.oid = f.conrelid
                      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                     where f.contype = 'f' and n.nspname = ?
                    union
                    select f.confrelid from pg_catalog.pg_constraint f join reached r on f.conrelid = r.oid
                     where f.contype = 'f'
                )
                select c.relname from pg_catalog.pg_class c
                  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = ? and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
                   and c.oid not in (select oid from reached)
                union
                select p.proname from pg_catalog.pg_proc p
                  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = ?
                union
                select t.typname from pg_catalog.pg_type t
                  join pg_catalog.pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = ? and t.typtype in ('e', 'd', 'c')
                   and not exists (select 1 from pg_catalog.pg_class r where r.reltype = t.oid and r.relkind <> 'c')""",
                inputSchema, SchemaNames.SCHEMA, SchemaNames.SCHEMA, SchemaNames.SCHEMA);
    }

    /**
     * Which kinds of object jOOQ would find in {@code schema}, among those it reads with a query of
     * their own: {@code routines}, {@code domains}, {@code udts} (composite types) and
     * {@code sequences}. Extensions' objects count only if {@code withExtensions}. A kind that is
     * absent is not read at all: each query costs a cold jOOQ noticeable time, and it would find
     * nothing to generate.
     *
     * @param connection a connection to the migrated database
     * @param schema the input schema
     * @param withExtensions whether extensions' objects are generated
     * @return the kinds present
     * @throws SQLException if the catalog cannot be read
     */
    static Set<String> kindsPresent(Connection connection, String schema, boolean withExtensions) throws SQLException {
        return names(connection, """
                with own(classid, objid) as (
                    select 'pg_catalog.pg_proc'::regclass, p.oid from pg_catalog.pg_proc p
                      join pg_catalog.pg_namespace n on n.oid = p.pronamespace where n.nspname = ?
                    union all
                    select 'pg_catalog.pg_type'::regclass, t.oid from pg_catalog.pg_type t
                      join pg_catalog.pg_namespace n on n.oid = t.typnamespace where n.nspname = ?
                    union all
                    select 'pg_catalog.pg_class'::regclass, c.oid from pg_catalog.pg_class c
                      join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = ?
                ),
                counted as (
                    select o.* from own o
                     where cast(? as boolean) or not exists (select 1 from pg_catalog.pg_depend d
                                             where d.classid = o.classid and d.objid = o.objid and d.deptype = 'e')
                )
                select 'routines' from counted where classid = 'pg_catalog.pg_proc'::regclass
                union
                select 'domains' from counted c join pg_catalog.pg_type t on t.oid = c.objid
                 where c.classid = 'pg_catalog.pg_type'::regclass and t.typtype = 'd'
                union
                select 'udts' from counted c join pg_catalog.pg_type t on t.oid = c.objid
                  join pg_catalog.pg_class r on r.oid = t.typrelid
                 where c.classid = 'pg_catalog.pg_type'::regclass and t.typtype = 'c' and r.relkind = 'c'
                union
                select 'sequences' from counted c join pg_catalog.pg_class r on r.oid = c.objid
                 where c.classid = 'pg_catalog.pg_class'::regclass and r.relkind = 'S'""",
                schema, schema, schema, Boolean.toString(withExtensions));
    }

    private static Set<String> names(Connection connection, String sql, String... parameters) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    names.add(row.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * A jOOQ regular expression that matches exactly the given objects of {@code schema}, or an
     * empty string for none.
     *
     * @param schema the schema
     * @param names the objects' names
     * @return the expression
     */
    static String exactly(String schema, Set<String> names) {
        List<String> alternatives = new ArrayList<>();
        for (String name : names) {
            alternatives.add(CodeGenerator.regexLiteral(schema + "." + name));
        }
        return String.join("|", alternatives);
    }

    /**
     * An extension's objects in one schema.
     *
     * @param relations its tables, views and sequences
     * @param others its routines and types
     */
    record Objects(Set<String> relations, Set<String> others) {

        /**
         * Every name.
         *
         * @return relations and others together
         */
        Set<String> all() {
            Set<String> all = new TreeSet<>(relations);
            all.addAll(others);
            return all;
        }
    }
}
