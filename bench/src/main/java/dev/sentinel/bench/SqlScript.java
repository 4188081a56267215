package dev.sentinel.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements at top-level semicolons, keeping every character (so
 * the pieces join back into the script): quoted strings, quoted identifiers, dollar-quoted bodies
 * and comments are passed over. Enough for migrations; not a parser. Stateless.
 */
final class SqlScript {

    private SqlScript() {
    }

    /**
     * The script's pieces: each statement with the whitespace and comments before it, its
     * semicolon included; a last piece may hold only trailing comments.
     *
     * @param script the script
     * @return the pieces, which concatenate to the script
     */
    static List<String> split(String script) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (script.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (script.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else if (c == '\'' || c == '"') {
                i++;
                while (i < n) {
                    if (script.charAt(i) == c) {
                        if (i + 1 < n && script.charAt(i + 1) == c) {
                            i += 2; // a doubled quote inside the string
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                i++;
            } else if (c == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int end = script.indexOf(tag, i + tag.length());
                i = end < 0 ? n : end + tag.length();
            } else if (c == ';') {
                pieces.add(script.substring(start, i + 1));
                start = i + 1;
                i++;
            } else {
                i++;
            }
        }
        if (start < n) {
            pieces.add(script.substring(start));
        }
        return pieces;
    }

    /**
     * Whether a piece holds a statement (not only whitespace and comments).
     *
     * @param piece a piece from {@link #split}
     * @return true if it has SQL
     */
    static boolean hasStatement(String piece) {
        return !statementText(piece).isEmpty();
    }

    /**
     * A piece without its comments and surrounding whitespace, whitespace runs made single spaces:
     * for showing and classifying.
     *
     * @param piece a piece from {@link #split}
     * @return the statement's text
     */
    static String statementText(String piece) {
        StringBuilder text = new StringBuilder();
        for (String line : piece.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                text.append(trimmed).append(' ');
            }
        }
        return text.toString().replaceAll("\\s+", " ").strip();
    }

    /** The dollar-quote tag starting at {@code i} ({@code $$} or {@code $name$}), or null. */
    private static String dollarTag(String script, int i) {
        int j = i + 1;
        while (j < script.length() && (Character.isLetterOrDigit(script.charAt(j)) || script.charAt(j) == '_')) {
            j++;
        }
        if (j < script.length() && script.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(script.charAt(i + 1)))) {
            return script.substring(i, j + 1);
        }
        return null;
    }
}
