package dev.sentinel.codegen.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The SHA-256 of what the migrated catalog defines, in every schema but PostgreSQL's own: relations
 * with their row-level security and comments, columns (type, nullability, default, identity,
 * generated expression, comment), constraints, indexes, policies, triggers, routines (signature,
 * body and attributes), types and enum labels, privileges, and extensions. Data is not part of it
 * (so the Flyway history's rows, whose checksums change with a migration's comment, are not).
 *
 * <p>Everything the lint, the schema reference and jOOQ read comes from these definitions, so two
 * builds with the same fingerprint and the same configuration generate the same files: a change
 * to a migration that leaves the catalog identical, such as a comment in its SQL, runs none of
 * them. Stateless.
 */
final class CatalogFingerprint {

    private static final String USER_SCHEMAS = "n.nspname not in ('pg_catalog', 'information_schema')"
            + " and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'";

    // One line per definition, each query sorted, so the same catalog gives the same bytes.
    private static final String[] QUERIES = {
        "select 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relrowsecurity || ' '"
                + " || c.relforcerowsecurity || ' ' || coalesce(c.relacl::text, '') || ' '"
                + " || coalesce(obj_description(c.oid, 'pg_class'), '')"
                + " from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " where " + USER_SCHEMAS + " order by 1",
        "select 'col ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || a.attnum || ' '"
                + " || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || a.attidentity::text || ' '"
                + " || a.attgenerated::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' '"
                + " || coalesce(col_description(c.oid, a.attnum), '') || ' ' || coalesce(a.attacl::text, '')"
                + " from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
                + " where a.attnum > 0 and not a.attisdropped and " + USER_SCHEMAS + " order by 1",
        "select 'con ' || n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)"
                + " || ' ' || coalesce(obj_description(k.oid, 'pg_constraint'), '')"
                + " from pg_catalog.pg_constraint k join pg_catalog.pg_class c on c.oid = k.conrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace where " + USER_SCHEMAS + " order by 1",
        "select 'dom ' || n.nspname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)"
                + " from pg_catalog.pg_constraint k join pg_catalog.pg_type t on t.oid = k.contypid"
                + " join pg_catalog.pg_namespace n on n.oid = t.typnamespace where " + USER_SCHEMAS + " order by 1",
        "select 'idx ' || n.nspname || ' ' || pg_get_indexdef(i.indexrelid)"
                + " from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace where " + USER_SCHEMAS + " order by 1",
        "select 'pol ' || n.nspname || '.' || c.relname || ' ' || p.polname || ' ' || p.polcmd::text || ' '"
                + " || p.polpermissive || ' ' || (select string_agg(r::regrole::text, ',' order by r::regrole::text) from unnest(p.polroles) r) || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')"
                + " || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')"
                + " from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace where " + USER_SCHEMAS + " order by 1",
        "select 'trg ' || n.nspname || ' ' || pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text"
                + " from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " where not t.tgisinternal and " + USER_SCHEMAS + " order by 1",
        "select 'fun ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '"
                + " || coalesce(pg_get_function_result(p.oid), '') || ' ' || p.prokind::text || ' ' || p.provolatile::text || ' '"
                + " || p.prosecdef || ' ' || p.proleakproof || ' ' || p.proisstrict || ' ' || coalesce(p.proconfig::text, '')"
                + " || ' ' || coalesce(p.proacl::text, '') || ' ' || coalesce(obj_description(p.oid, 'pg_proc'), '')"
                + " || ' ' || coalesce(p.prosrc, '')"
                + " from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace"
                + " where " + USER_SCHEMAS + " order by 1",
        "select 'typ ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' ' || coalesce(format_type(t.typbasetype,"
                + " t.typtypmod), '') || ' ' || t.typnotnull || ' ' || coalesce(obj_description(t.oid, 'pg_type'), '')"
                + " || ' ' || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder)"
                + " from pg_catalog.pg_enum e where e.enumtypid = t.oid), '')"
                + " from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace"
                + " where " + USER_SCHEMAS + " order by 1",
        "select 'nsp ' || n.nspname || ' ' || coalesce(n.nspacl::text, '') || ' '"
                + " || coalesce(obj_description(n.oid, 'pg_namespace'), '')"
                + " from pg_catalog.pg_namespace n where " + USER_SCHEMAS + " order by 1",
        "select 'ext ' || e.extname || ' ' || e.extversion || ' ' || n.nspname"
                + " from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace order by 1",
        "select 'seq ' || n.nspname || '.' || c.relname || ' ' || s.seqtypid::regtype || ' ' || s.seqstart || ' '"
                + " || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcycle"
                + " from pg_catalog.pg_sequence s join pg_catalog.pg_class c on c.oid = s.seqrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace where " + USER_SCHEMAS + " order by 1",
        "select 'def ' || coalesce(d.defaclnamespace::regnamespace::text, '') || ' ' || d.defaclobjtype::text || ' '"
                + " || d.defaclacl::text from pg_catalog.pg_default_acl d order by 1",
    };

    private CatalogFingerprint() {
    }

    /**
     * Fingerprints the catalog of the database {@code connection} is connected to.
     *
     * @param connection a connection that can read the catalog
     * @return 64 lower-case hex digits
     * @throws SQLException if the catalog cannot be read
     */
    static String of(Connection connection) throws SQLException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
        try (Statement statement = connection.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet row = statement.executeQuery(query)) {
                    while (row.next()) {
                        digest.update(String.valueOf(row.getString(1)).getBytes(StandardCharsets.UTF_8));
                        digest.update((byte) '\n');
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
