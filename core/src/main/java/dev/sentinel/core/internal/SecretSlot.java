package dev.sentinel.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * Where a sealed value is stored, which its associated data binds it to (format sv1,
 * docs/decisions.md): {@code sentinel:v1|<schema>.<table>|<column>|<tenant id, or empty>|<row id>},
 * UTF-8, ids in PostgreSQL's text form (lower-case, hyphenated).
 *
 * @param table {@code <schema>.<table>} as generated, e.g. {@code public.widgets}
 * @param column the column
 * @param tenant the tenant id, or {@code ""} for a global table
 * @param row the row id
 */
record SecretSlot(String table, String column, String tenant, String row) {

    byte[] associatedData() {
        return ("sentinel:v1|" + table + "|" + column + "|" + tenant + "|" + row).getBytes(StandardCharsets.UTF_8);
    }

    /** For messages: where, never what. */
    String describe() {
        return table + "." + column + " of row " + row + (tenant.isEmpty() ? "" : " (tenant " + tenant + ")");
    }
}
