package dev.sentinel.codegen.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the columns commented {@code sentinel:secret} of a schema, which the generated classes type
 * {@value #USER_TYPE} (through {@value #CONVERTER}) instead of {@code String}: the repository
 * seals and binds them, and a record's {@code toString()} then never shows a clear value. The
 * marker is read as {@code sentinel.audit_table} reads it (the comment starts with it). Stateless.
 */
public final class SecretColumns {

    /** The Java type of a secret column, in sentinel-core. */
    public static final String USER_TYPE = "dev.sentinel.core.secrets.Secret";
    /** Its converter, in sentinel-core. */
    public static final String CONVERTER = "dev.sentinel.core.secrets.SecretConverter";

    private static final String QUERY = """
            select cl.relname, a.attname, format_type(a.atttypid, a.atttypmod)
              from pg_attribute a
              join pg_class cl on cl.oid = a.attrelid
              join pg_namespace n on n.oid = cl.relnamespace
             where n.nspname = ? and cl.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
               and col_description(cl.oid, a.attnum) like 'sentinel:secret%'
             order by cl.relname, a.attname
            """;

    private SecretColumns() {
    }

    /**
     * One secret column.
     *
     * @param schema the schema
     * @param table the table
     * @param column the column
     */
    public record SecretColumn(String schema, String table, String column) {
    }

    /**
     * Reads the secret columns of one schema from the catalog.
     *
     * @param connection a connection to the migrated database
     * @param schema the schema
     * @param log warned about a secret column that is not text, which stays as jOOQ types it
     * @return the columns, ordered by table and column
     * @throws SQLException if the catalog query fails
     */
    public static List<SecretColumn> read(Connection connection, String schema, CodegenLog log) throws SQLException {
        List<SecretColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(3);
                    String where = schema + "." + rows.getString(1) + "." + rows.getString(2);
                    if (!type.equals("text") && !type.startsWith("character varying")) {
                        log.warn("Sentinel codegen: " + where + " is commented sentinel:secret but is " + type
                                + ", not text, so it is not typed Secret and the repository will refuse the table;"
                                + " make it text with a CHECK (sentinel.is_secret_ciphertext(...))");
                        continue;
                    }
                    columns.add(new SecretColumn(schema, rows.getString(1), rows.getString(2)));
                }
            }
        }
        return List.copyOf(columns);
    }
}
