package dev.sentinel.bench;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the hand-written variants do instead of Sentinel's trigger: build the audit row's diff in
 * Java, in the trigger's shape ({@code {"column": {"old": ..., "new": ...}}}, only the changed
 * columns; for an insert every non-null column as {@code {"new": ...}}), and the values of the
 * other audit columns. The SQL that inserts the row is each variant's own (JDBC or jOOQ).
 * Stateless and thread-safe.
 */
final class HandAudit {

    /** The audit row's {@code entity_type} for the twin table, schema-qualified like the trigger's. */
    static final String ENTITY_TYPE = "public.plain_notes";

    /** The audit row's {@code meta}, as the trigger writes it in a tenant scope. */
    static final String META = "{\"scope\": \"tenant\"}";

    // As PostgreSQL's to_jsonb renders a timestamptz: microseconds and a +hh:mm offset.
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private HandAudit() {
    }

    /**
     * The diff of an inserted row: every non-null column as {@code {"new": value}}.
     *
     * @param row the row as inserted (column name to value)
     * @return the JSON object
     */
    static String insertDiff(Map<String, Object> row) {
        StringBuilder json = new StringBuilder(512).append('{');
        for (Map.Entry<String, Object> column : row.entrySet()) {
            if (column.getValue() != null) {
                separate(json);
                string(json, column.getKey());
                json.append(": {\"new\": ");
                value(json, column.getValue());
                json.append('}');
            }
        }
        return json.append('}').toString();
    }

    /**
     * The diff of an updated row: the changed columns as {@code {"old": a, "new": b}}.
     *
     * @param before the row before the update
     * @param after the row after it, with the same columns
     * @return the JSON object, {@code {}} if nothing changed
     */
    static String updateDiff(Map<String, Object> before, Map<String, Object> after) {
        StringBuilder json = new StringBuilder(256).append('{');
        for (Map.Entry<String, Object> column : after.entrySet()) {
            Object old = before.get(column.getKey());
            if (!Objects.equals(old, column.getValue())) {
                separate(json);
                string(json, column.getKey());
                json.append(": {\"old\": ");
                value(json, old);
                json.append(", \"new\": ");
                value(json, column.getValue());
                json.append('}');
            }
        }
        return json.append('}').toString();
    }

    private static void separate(StringBuilder json) {
        if (json.length() > 1) {
            json.append(", ");
        }
    }

    private static void value(StringBuilder json, Object value) {
        switch (value) {
            case null -> json.append("null");
            case Number number -> json.append(number);
            case Boolean bool -> json.append(bool);
            case OffsetDateTime time -> string(json, TIMESTAMP.format(time));
            case UUID uuid -> string(json, uuid.toString());
            default -> string(json, value.toString());
        }
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
