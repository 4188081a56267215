package dev.sentinel.codegen.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the closed sets of a schema: text columns whose values a single-column CHECK constraint
 * limits to a list of literals ({@code status in ('draft', 'sent')}, which PostgreSQL stores as
 * {@code status = ANY (ARRAY['draft'::text, 'sent'::text])}), and names the Java enum for each.
 *
 * <p>Anything else is left as it is and logged at debug level: constraints over several columns,
 * expressions ({@code status is null or status in (...)}), a column with two such constraints, or
 * literals that do not make distinct Java constant names. Stateless and thread-safe.
 */
public final class ClosedSets {

    private static final String QUERY = """
            select cl.relname, a.attname, c.conname, pg_get_constraintdef(c.oid), format_type(a.atttypid, a.atttypmod),
                   col_description(cl.oid, a.attnum)
              from pg_constraint c
              join pg_class cl on cl.oid = c.conrelid
              join pg_namespace n on n.oid = cl.relnamespace
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
             where c.contype = 'c' and n.nspname = ? and cardinality(c.conkey) = 1 and cl.relkind in ('r', 'p')
             order by cl.relname, a.attname, c.conname
            """;

    /** {@code sentinel:enum Name} in a column comment names the column's enum. */
    private static final Pattern ENUM_NAME = Pattern.compile("sentinel:enum\\s+([A-Z][A-Za-z0-9_]*)");

    private ClosedSets() {
    }

    /**
     * One closed set: the column, the constraint and the Java names derived from them.
     *
     * @param schema the schema
     * @param table the table
     * @param column the column
     * @param constraint the CHECK constraint's name
     * @param definition the constraint as PostgreSQL prints it
     * @param comment the column's comment, or null
     * @param literals the allowed values, in the constraint's order
     * @param className the enum's simple name, such as {@code NotesStatus}
     * @param constants the enum constants, one per literal, such as {@code DRAFT}
     */
    public record ClosedSet(String schema, String table, String column, String constraint, String definition,
            String comment, List<String> literals, String className, List<String> constants) {

        /** Copies the lists. */
        public ClosedSet {
            literals = List.copyOf(literals);
            constants = List.copyOf(constants);
        }
    }

    /**
     * Reads the closed sets of one schema from the catalog.
     *
     * @param connection a connection to the migrated database
     * @param schema the schema
     * @param log receives a debug line for every CHECK constraint left as it is
     * @return the closed sets, ordered by table and column
     * @throws SQLException if the catalog query fails
     */
    public static List<ClosedSet> read(Connection connection, String schema, CodegenLog log) throws SQLException {
        Map<String, List<ClosedSet>> byColumn = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String table = rows.getString(1);
                    String column = rows.getString(2);
                    String constraint = rows.getString(3);
                    String definition = rows.getString(4);
                    String type = rows.getString(5);
                    String where = schema + "." + table + "." + column + " (" + constraint + ")";
                    if (!type.equals("text") && !type.startsWith("character varying")) {
                        log.debug("Closed sets: " + where + " is " + type + ", not text; left as it is");
                        continue;
                    }
                    Optional<List<String>> literals = parseLiterals(definition, column);
                    if (literals.isEmpty()) {
                        log.debug("Closed sets: " + where + " is not of the form col in ('a', ...): " + definition);
                        continue;
                    }
                    Optional<List<String>> constants = constantNames(literals.get());
                    String className = className(table, column, rows.getString(6));
                    if (constants.isEmpty() || className == null) {
                        log.debug("Closed sets: " + where + " has values or names that make no distinct Java names");
                        continue;
                    }
                    byColumn.computeIfAbsent(table + "." + column, k -> new ArrayList<>()).add(new ClosedSet(schema,
                            table, column, constraint, definition, rows.getString(6), literals.get(), className,
                            constants.get()));
                }
            }
        }
        Map<String, List<ClosedSet>> byClassName = new LinkedHashMap<>();
        for (List<ClosedSet> sets : byColumn.values()) {
            ClosedSet set = sets.get(0);
            if (sets.size() > 1) {
                log.debug("Closed sets: " + schema + "." + set.table() + "." + set.column()
                        + " has several list constraints; left as text");
            } else {
                byClassName.computeIfAbsent(set.className(), k -> new ArrayList<>()).add(set);
            }
        }
        List<ClosedSet> result = new ArrayList<>();
        for (List<ClosedSet> sharing : byClassName.values()) {
            ClosedSet first = sharing.get(0);
            boolean shared = sharing.stream().allMatch(set -> named(set) && set.literals().equals(first.literals()));
            if (sharing.size() == 1 || shared) {
                result.addAll(sharing);
            } else if (sharing.stream().anyMatch(ClosedSets::named)) {
                log.debug("Closed sets: the columns " + sharing.stream().map(set -> schema + "." + set.table() + "."
                        + set.column()).toList() + " map to the enum name " + first.className() + " with different"
                        + " values; all left as text (columns share an enum only when each comment names it and"
                        + " their values are the same, in the same order)");
            } else {
                result.add(first);
                for (ClosedSet set : sharing.subList(1, sharing.size())) {
                    log.debug("Closed sets: two columns map to the enum name " + set.className() + "; "
                            + schema + "." + set.table() + "." + set.column() + " left as text");
                }
            }
        }
        result.sort(Comparator.comparing(ClosedSet::table).thenComparing(ClosedSet::column));
        return List.copyOf(result);
    }

    /**
     * Parses {@code pg_get_constraintdef} output of the form
     * {@code CHECK ((col = ANY (ARRAY['a'::text, 'b'::text])))}, also with casts on the column and
     * the array (varchar columns) and {@code NOT VALID}.
     *
     * @param definition the constraint definition
     * @param column the constrained column's name
     * @return the literals in order, or empty if the definition has another form
     */
    public static Optional<List<String>> parseLiterals(String definition, String column) {
        String text = definition.trim();
        if (text.endsWith(" NOT VALID")) {
            text = text.substring(0, text.length() - " NOT VALID".length()).trim();
        }
        if (!text.startsWith("CHECK ")) {
            return Optional.empty();
        }
        text = stripParentheses(text.substring("CHECK ".length()).trim());
        int any = text.indexOf(" = ANY ");
        if (any < 0) {
            return Optional.empty();
        }
        String left = stripCast(stripParentheses(text.substring(0, any).trim()));
        if (!unquoteIdentifier(stripParentheses(left)).equals(column)) {
            return Optional.empty();
        }
        String right = stripParentheses(text.substring(any + " = ANY ".length()).trim());
        right = stripParentheses(stripCast(right));
        if (!right.startsWith("ARRAY[") || !right.endsWith("]")) {
            return Optional.empty();
        }
        return literalList(right.substring("ARRAY[".length(), right.length() - 1));
    }

    private static Optional<List<String>> literalList(String list) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        int n = list.length();
        while (i < n) {
            if (list.charAt(i) != '\'') {
                return Optional.empty();
            }
            StringBuilder literal = new StringBuilder();
            i++;
            while (true) {
                if (i >= n) {
                    return Optional.empty();
                }
                char c = list.charAt(i);
                if (c == '\'') {
                    if (i + 1 < n && list.charAt(i + 1) == '\'') {
                        literal.append('\'');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                literal.append(c);
                i++;
            }
            if (list.startsWith("::", i)) {
                i += 2;
                while (i < n && (Character.isLetterOrDigit(list.charAt(i)) || list.charAt(i) == ' '
                        || list.charAt(i) == '_')) {
                    i++;
                }
            }
            literals.add(literal.toString());
            if (i == n) {
                break;
            }
            if (!list.startsWith(", ", i)) {
                return Optional.empty();
            }
            i += 2;
        }
        if (literals.isEmpty() || new HashSet<>(literals).size() != literals.size()) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(literals));
    }

    /** Removes parentheses that enclose the whole text, as often as they do. */
    static String stripParentheses(String text) {
        String result = text;
        while (result.startsWith("(") && closingParenthesis(result) == result.length() - 1) {
            result = result.substring(1, result.length() - 1).trim();
        }
        return result;
    }

    private static int closingParenthesis(String text) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Removes a trailing cast such as {@code ::text} or {@code ::text[]} outside quotes, parentheses and brackets. */
    private static String stripCast(String text) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ':' && text.charAt(i + 1) == ':') {
                return text.substring(0, i).trim();
            }
        }
        return text;
    }

    private static String unquoteIdentifier(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }

    /**
     * Java constant names for literals: upper case (in {@link Locale#ROOT}, so {@code 'active'}
     * is {@code ACTIVE} under a Turkish locale too), words split at punctuation and at camel case,
     * a leading digit prefixed with {@code _}.
     *
     * @param literals the values
     * @return the names, or empty if one is empty or two are the same
     */
    public static Optional<List<String>> constantNames(List<String> literals) {
        List<String> names = new ArrayList<>();
        for (String literal : literals) {
            String name = constantName(literal);
            if (name == null) {
                return Optional.empty();
            }
            names.add(name);
        }
        return new HashSet<>(names).size() == names.size() ? Optional.of(List.copyOf(names)) : Optional.empty();
    }

    static String constantName(String literal) {
        StringBuilder name = new StringBuilder();
        int previous = 0;
        for (int i = 0; i < literal.length(); ) {
            int c = literal.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c)) {
                boolean boundary = Character.isUpperCase(c) && (Character.isLowerCase(previous) || Character.isDigit(previous));
                if (boundary && !name.isEmpty() && name.charAt(name.length() - 1) != '_') {
                    name.append('_');
                }
                name.append(new String(Character.toChars(c)).toUpperCase(Locale.ROOT));
            } else if (!name.isEmpty() && name.charAt(name.length() - 1) != '_') {
                name.append('_');
            }
            previous = c;
        }
        while (!name.isEmpty() && name.charAt(name.length() - 1) == '_') {
            name.setLength(name.length() - 1);
        }
        if (name.isEmpty()) {
            return null;
        }
        if (Character.isDigit(name.charAt(0))) {
            name.insert(0, '_');
        }
        return isJavaIdentifier(name.toString()) ? name.toString() : null;
    }

    /**
     * The enum's simple name: the one the column's comment names with {@code sentinel:enum Name}
     * (such as {@code sentinel:enum InvoiceStatus}), which lets a schema give its enums the names its
     * API uses and lets columns with the same values share one enum; otherwise table and column in
     * Pascal case.
     *
     * @param table the table
     * @param column the column
     * @param comment the column's comment, or null
     * @return the name, or null if it would not be a Java identifier
     */
    public static String className(String table, String column, String comment) {
        Matcher named = comment == null ? null : ENUM_NAME.matcher(comment);
        if (named != null && named.find()) {
            return isJavaIdentifier(named.group(1)) ? named.group(1) : null;
        }
        return className(table, column);
    }

    /** Whether the set's name came from its column's comment. */
    private static boolean named(ClosedSet set) {
        return set.comment() != null && ENUM_NAME.matcher(set.comment()).find();
    }

    /**
     * The default enum name: table and column in Pascal case, {@code notes.status} becomes
     * {@code NotesStatus}.
     *
     * @param table the table
     * @param column the column
     * @return the name, or null if it would not be a Java identifier
     */
    public static String className(String table, String column) {
        String name = pascal(table) + pascal(column);
        return !name.isEmpty() && Character.isJavaIdentifierStart(name.codePointAt(0)) && isJavaIdentifier(name)
                ? name : null;
    }

    private static String pascal(String identifier) {
        StringBuilder result = new StringBuilder();
        for (String word : identifier.split("[^\\p{L}\\p{Nd}]+")) {
            if (!word.isEmpty()) {
                int first = word.codePointAt(0);
                result.append(new String(Character.toChars(first)).toUpperCase(Locale.ROOT))
                        .append(word.substring(Character.charCount(first)));
            }
        }
        return result.toString();
    }

    private static boolean isJavaIdentifier(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().allMatch(Character::isJavaIdentifierPart);
    }
}
