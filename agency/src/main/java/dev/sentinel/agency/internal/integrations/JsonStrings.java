package dev.sentinel.agency.internal.integrations;

import dev.sentinel.core.DatabaseException;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSON array of strings, as PostgreSQL prints a {@code jsonb} value; core has no JSON library. */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * Parses {@code ["a", "b"]}.
     *
     * @param json a JSON array whose elements are strings
     * @return the strings, in order
     * @throws DatabaseException if the text is anything else (the column's CHECK allows only arrays,
     *     but not only arrays of strings, if written by raw SQL)
     */
    static List<String> parseArray(String json) {
        List<String> values = new ArrayList<>();
        int i = skipSpace(json, 0);
        expect(json, i++, '[');
        i = skipSpace(json, i);
        if (i < json.length() && json.charAt(i) == ']') {
            return List.of();
        }
        while (true) {
            i = skipSpace(json, i);
            expect(json, i++, '"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (i >= json.length()) {
                    throw malformed(json);
                }
                char c = json.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (i >= json.length()) {
                    throw malformed(json);
                }
                char escaped = json.charAt(i++);
                switch (escaped) {
                    case '"', '\\', '/' -> value.append(escaped);
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (i + 4 > json.length()) {
                            throw malformed(json);
                        }
                        try {
                            value.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                        } catch (NumberFormatException e) {
                            throw malformed(json);
                        }
                        i += 4;
                    }
                    default -> throw malformed(json);
                }
            }
            values.add(value.toString());
            i = skipSpace(json, i);
            if (i < json.length() && json.charAt(i) == ',') {
                i++;
                continue;
            }
            expect(json, i++, ']');
            if (skipSpace(json, i) != json.length()) {
                throw malformed(json);
            }
            return List.copyOf(values);
        }
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void expect(String json, int i, char c) {
        if (i >= json.length() || json.charAt(i) != c) {
            throw malformed(json);
        }
    }

    private static DatabaseException malformed(String json) {
        return new DatabaseException("integrations.scopes is not a JSON array of strings: "
                + (json.length() > 80 ? json.substring(0, 80) + "..." : json), "", null);
    }
}
