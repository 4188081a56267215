package dev.sentinel.codegen.internal;

import javax.sql.DataSource;

/**
 * A scratch PostgreSQL database that exists for one code generation: migrated as the owner role,
 * read by jOOQ, then thrown away by {@link #close()}, which runs even when a step failed
 * (try-with-resources).
 */
public interface TargetDatabase extends AutoCloseable {

    /**
     * Connections to the scratch database that act as the owner role, direct to PostgreSQL. Each
     * connection is the caller's to close.
     *
     * @return a data source
     */
    DataSource ownerDataSource();

    /**
     * Connections to the scratch database as a superuser, direct to PostgreSQL: the schema linter
     * needs one that can {@code SET ROLE} to the application role. Each connection is the caller's
     * to close.
     *
     * @return a data source
     */
    DataSource adminDataSource();

    /**
     * Names the server for log lines and messages, without secrets.
     *
     * @return a short description, such as {@code embedded PostgreSQL on port 54321}
     */
    String describe();

    /**
     * Drops the scratch database or stops the server.
     *
     * @throws GenerationException if that fails
     */
    @Override
    void close();
}
