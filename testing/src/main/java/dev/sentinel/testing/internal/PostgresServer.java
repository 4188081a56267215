package dev.sentinel.testing.internal;

import javax.sql.DataSource;

/**
 * A PostgreSQL server that the tests of one run share. Implementations are thread-safe.
 */
public interface PostgresServer extends AutoCloseable {

    /**
     * A data source as the administrative user (a superuser, or CREATEROLE and CREATEDB) on the
     * server's maintenance database.
     *
     * @return an unpooled data source
     */
    DataSource adminDataSource();

    /**
     * A data source on one database of this server.
     *
     * @param database the database
     * @param user the role to connect as; {@code null} for the server's administrative user
     * @param password the password, or {@code null}
     * @return an unpooled data source
     */
    DataSource dataSource(String database, String user, String password);

    /**
     * The JDBC URL of a database, without credentials.
     *
     * @param database the database
     * @return the URL
     */
    String jdbcUrl(String database);

    /**
     * A short description for messages, such as {@code embedded PostgreSQL 18.1 on port 5432}.
     *
     * @return the description
     */
    String describe();

    /** Stops the server, or, for a server this run did not start, does nothing. */
    @Override
    void close();
}
