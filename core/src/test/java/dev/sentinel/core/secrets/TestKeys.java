package dev.sentinel.core.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Keys and raw reads for the secrets tests. A key's material is fixed by its id and a variant, so
 * every Sentinel of a test class agrees on what an id means, unless a test asks for other material
 * under the same id on purpose.
 */
final class TestKeys {

    private TestKeys() {
    }

    static SecretKey key(String id) {
        return key(id, "right");
    }

    static SecretKey key(String id, String variant) {
        return SecretKey.of(id, material(id, variant));
    }

    static byte[] material(String id, String variant) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("sentinel test key " + id + " " + variant).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads one column of one row as stored, on a raw connection of the given role, in the system
     * scope (the tables force row-level security on their owner too).
     *
     * @return the stored text
     * @throws AssertionError if the row does not exist
     */
    static String stored(DataSource dataSource, String table, String column, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement scope = connection.createStatement()) {
                scope.execute("set local sentinel.scope = 'system'; set local sentinel.tenant_id = ''");
                try (PreparedStatement select = connection.prepareStatement("select " + column + " from " + table + " where id = ?")) {
                    select.setObject(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            throw new AssertionError("no row " + id + " in " + table);
                        }
                        return row.getString(1);
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
