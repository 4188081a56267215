package dev.sentinel.codegen.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.tools.StringUtils;

/**
 * Finds the columns of one table that would get the same Java names, before jOOQ writes anything.
 *
 * <p>jOOQ writes whatever names its strategy gives; two columns such as {@code created_at} and
 * Prisma's {@code "createdAt"} both become the constant {@code CREATED_AT} and the getter
 * {@code getCreatedAt()}, and javac then fails inside the generated sources. Here each column's
 * names are computed the way {@link SentinelGeneratorStrategy} makes them (after the
 * {@code <columns>} overrides), and every clash is reported with both columns and the two ways
 * out: another Java name for one of them, or leaving one out. Tables whose class names clash
 * ({@code "Task"} and {@code task}) are reported too. Stateless.
 */
final class NameCollisions {

    private NameCollisions() {
    }

    /**
     * Reads the input schema's tables and columns and returns one message per clash.
     *
     * @param connection a connection to the migrated database
     * @param build the build (input schema, includes, excludes, column overrides)
     * @param skippedTables tables that are not generated (an extension's)
     * @return the clashes, empty if there are none
     * @throws SQLException if the catalog cannot be read
     */
    static List<String> find(Connection connection, SchemaBuild build, Set<String> skippedTables) throws SQLException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select c.relname, a.attname
                  from pg_catalog.pg_class c
                  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                 where n.nspname = ? and c.relkind in ('r', 'p', 'v', 'm', 'f')
                 order by c.relname, a.attnum""")) {
            statement.setString(1, build.inputSchema());
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    columns.computeIfAbsent(row.getString(1), t -> new ArrayList<>()).add(row.getString(2));
                }
            }
        }
        Pattern includes = Pattern.compile(build.includes(), Pattern.COMMENTS);
        Pattern excludes = build.excludes().isBlank() ? null : Pattern.compile(build.excludes(), Pattern.COMMENTS);
        List<String> clashes = new ArrayList<>();
        Map<String, String> classNames = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            String name = table.getKey();
            String qualified = build.inputSchema() + "." + name;
            if (skippedTables.contains(name) || !matches(includes, name, qualified)
                    || (excludes != null && matches(excludes, name, qualified))) {
                continue;
            }
            String className = StringUtils.toCamelCase(words(name));
            String other = classNames.putIfAbsent(className.toLowerCase(Locale.ROOT), name);
            if (other != null) {
                clashes.add("Tables " + quote(other) + " and " + quote(name) + " of schema " + build.inputSchema()
                        + " both become the class " + className + ". Rename one of them in a migration, or leave one"
                        + " out with <excludes>" + CodeGenerator.regexLiteral(name) + "</excludes>.");
            }
            clashes.addAll(columnClashes(name, table.getValue(), build.columns()));
        }
        return clashes;
    }

    private static List<String> columnClashes(String table, List<String> columns, Map<String, SchemaBuild.Column> overrides) {
        List<String> clashes = new ArrayList<>();
        Map<String, String> constants = new LinkedHashMap<>();
        Map<String, String> members = new LinkedHashMap<>();
        for (String column : columns) {
            SchemaBuild.Column override = overrides.get(table + "." + column);
            if (override != null && override.exclude()) {
                continue;
            }
            String source = override != null && override.javaName() != null ? override.javaName() : column;
            String constant = constant(source);
            String member = StringUtils.toCamelCase(words(source));
            String clash = constants.putIfAbsent(constant, column);
            String memberClash = members.putIfAbsent(member, column);
            String other = clash != null ? clash : memberClash;
            if (other != null) {
                clashes.add(message(table, other, column, constant, member));
            }
        }
        return clashes;
    }

    private static String message(String table, String first, String second, String constant, String member) {
        return "Table " + quote(table) + " has the columns " + quote(first) + " and " + quote(second)
                + ", which both become the field " + constant + " and the getter get" + member + "(): the generated"
                + " classes would not compile. Either give one of them another Java name,\n"
                + "    <columns><column><name>" + table + "." + second + "</name><javaName>"
                + suggestion(second) + "</javaName></column></columns>\n"
                + "or leave one of them out of the generated classes,\n"
                + "    <columns><column><name>" + table + "." + second + "</name><exclude>true</exclude></column></columns>\n"
                + "(or rename or drop one of them in a migration).";
    }

    private static String suggestion(String column) {
        String words = words(column).toLowerCase(Locale.ROOT);
        return SentinelGeneratorStrategy.splitHumps(column).equals(column) ? words + "_2" : words + "_camel";
    }

    /** The constant jOOQ's strategy gives the name: its words upper-cased, other characters as {@code _}. */
    static String constant(String name) {
        return words(name).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_$]", "_");
    }

    /** The name with its humps and jOOQ's separators split by {@code _}, as the strategy splits it. */
    static String words(String name) {
        return SentinelGeneratorStrategy.splitHumps(name).replace(' ', '_').replace('-', '_').replace('.', '_');
    }

    private static boolean matches(Pattern pattern, String name, String qualified) {
        return pattern.matcher(name).matches() || pattern.matcher(qualified).matches();
    }

    private static String quote(String name) {
        return name.equals(name.toLowerCase(Locale.ROOT)) && name.matches("[a-z_][a-z0-9_]*") ? name : '"' + name + '"';
    }
}
