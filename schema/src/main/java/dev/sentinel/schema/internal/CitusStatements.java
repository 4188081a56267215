package dev.sentinel.schema.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites, for a Citus coordinator, the few migration statements that Citus refuses in a form
 * plain PostgreSQL takes, into equivalent statements it accepts. One rule so far: Citus refuses an
 * {@code ALTER TABLE} that adds a table constraint together with other subcommands ("cannot execute
 * ADD CONSTRAINT command with other subcommands"; kernel V34 adds two columns and the check that
 * ties them in one statement), so such a statement becomes one {@code ALTER TABLE} per subcommand,
 * in their order, which the migration's transaction runs as one. Every other statement is returned
 * as it is. Stateless and thread-safe.
 */
public final class CitusStatements {

    private static final Pattern ALTER_TABLE = Pattern.compile(
            "(?is)^(\\s*alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?(?:\"[^\"]+\"|[\\w$]+)(?:\\.(?:\"[^\"]+\"|[\\w$]+))?)\\s+(.+?)\\s*;?\\s*$");
    private static final Pattern TABLE_CONSTRAINT = Pattern.compile(
            "(?is)^add\\s+(?:constraint\\s|primary\\s+key|unique[\\s(]|foreign\\s+key|check[\\s(]|exclude[\\s(]).*");

    private CitusStatements() {
    }

    /**
     * The statements to run on a Citus coordinator instead of {@code sql}.
     *
     * @param sql one statement, as Flyway sends it (leading comments allowed)
     * @return {@code sql} alone, or its replacement statements in order
     */
    public static List<String> rewrite(String sql) {
        String statement = withoutLeadingComments(sql);
        Matcher alter = ALTER_TABLE.matcher(statement);
        if (!alter.matches()) {
            return List.of(sql);
        }
        List<String> subcommands = topLevelParts(alter.group(2));
        if (subcommands.size() < 2 || subcommands.stream().noneMatch(part -> TABLE_CONSTRAINT.matcher(part).matches())) {
            return List.of(sql);
        }
        String head = alter.group(1).trim();
        return subcommands.stream().map(part -> head + " " + part).toList();
    }

    private static String withoutLeadingComments(String sql) {
        String rest = sql;
        while (true) {
            String trimmed = rest.stripLeading();
            if (trimmed.startsWith("--")) {
                int end = trimmed.indexOf('\n');
                rest = end < 0 ? "" : trimmed.substring(end + 1);
            } else if (trimmed.startsWith("/*")) {
                int end = trimmed.indexOf("*/");
                rest = end < 0 ? "" : trimmed.substring(end + 2);
            } else {
                return trimmed;
            }
        }
    }

    /** Splits at commas outside parentheses and quotes; the text whole if it holds dollar quotes or comments. */
    private static List<String> topLevelParts(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                while (end > 0 && end + 1 < text.length() && text.charAt(end + 1) == c) {
                    end = text.indexOf(c, end + 2); // a doubled quote inside the literal
                }
                if (end < 0) {
                    return List.of(text);
                }
                i = end;
            } else if (c == '$' || (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-')
                    || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*')) {
                // Dollar quotes and comments inside an ALTER TABLE: leave the statement alone.
                return List.of(text);
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).trim());
        return parts.stream().anyMatch(String::isEmpty) ? List.of(text) : parts;
    }
}
