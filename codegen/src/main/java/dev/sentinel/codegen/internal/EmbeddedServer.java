package dev.sentinel.codegen.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import javax.sql.DataSource;

/**
 * A running embedded PostgreSQL: the plugin's own child process ({@link Postmaster}) or, where
 * zonky's extracted binaries cannot be found, zonky's server ({@link #zonky}). {@link #close()}
 * stops it.
 */
interface EmbeddedServer extends Closeable {

    /**
     * The port it listens on, on localhost.
     *
     * @return the port
     */
    int port();

    /**
     * Connections to one database as one role, without a password (the cluster trusts local
     * connections). Each connection is the caller's to close.
     *
     * @param user the role
     * @param database the database
     * @return a data source
     */
    DataSource database(String user, String database);

    /**
     * zonky's server as an {@link EmbeddedServer}.
     *
     * @param postgres a started server
     * @return the same server
     */
    static EmbeddedServer zonky(EmbeddedPostgres postgres) {
        return new EmbeddedServer() {
            @Override
            public int port() {
                return postgres.getPort();
            }

            @Override
            public DataSource database(String user, String database) {
                return postgres.getDatabase(user, database);
            }

            @Override
            public void close() throws IOException {
                postgres.close();
            }
        };
    }
}
