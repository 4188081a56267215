package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Roles;
import javax.sql.DataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL container started through Testcontainers, holding a {@link JdbcTarget} scratch
 * database. Without a Docker engine it fails at once, before anything is started or retried, with
 * a message that names the two modes that need no Docker.
 */
final class TestcontainersTarget implements TargetDatabase {

    /** The diagnosis when no Docker engine answers; users may match on its start. */
    static final String NO_ENGINE = "<database>testcontainers</database> needs a Docker engine, and Testcontainers"
            + " found none (it looks at DOCKER_HOST, ~/.testcontainers.properties and the default socket)."
            + " Use <database>embedded</database> (the default: an embedded PostgreSQL, no Docker needed;"
            + " -Dsentinel.codegen.database=embedded) or <database>jdbc</database> with <jdbcUrl>, <jdbcUser>"
            + " and <jdbcPassword> of an existing server (-Dsentinel.codegen.database=jdbc).";

    private final PostgreSQLContainer container;
    private final JdbcTarget scratch;

    private TestcontainersTarget(PostgreSQLContainer container, JdbcTarget scratch) {
        this.container = container;
        this.scratch = scratch;
    }

    /**
     * Checks for a Docker engine, starts the container and creates the scratch database in it.
     *
     * @param image the Docker image, a PostgreSQL 15 or newer such as {@code postgres:18}
     * @param roles the role names
     * @return the running target
     * @throws GenerationException at once if there is no Docker engine, or if the container fails
     */
    static TestcontainersTarget start(String image, Roles roles) {
        requireDockerEngine();
        PostgreSQLContainer container;
        try {
            container = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
            container.start();
        } catch (RuntimeException e) {
            throw new GenerationException("Could not start the PostgreSQL container " + image + ": " + e.getMessage()
                    + ". Check <testcontainersImage>, or use <database>embedded</database>.", e);
        }
        try {
            return new TestcontainersTarget(container,
                    JdbcTarget.open(container.getJdbcUrl(), container.getUsername(), container.getPassword(), roles));
        } catch (RuntimeException e) {
            try {
                container.stop();
            } catch (RuntimeException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    /**
     * Fails with {@link #NO_ENGINE} unless a Docker engine answers. This is what
     * {@code DockerClientFactory.isDockerAvailable()} does, but it keeps Testcontainers' reason as
     * the cause. Testcontainers tries each way to reach an engine once and remembers the outcome;
     * nothing here loops or sleeps.
     *
     * @throws GenerationException if there is no engine, with Testcontainers' reason as the cause
     */
    static void requireDockerEngine() {
        try {
            DockerClientFactory.instance().client();
        } catch (RuntimeException e) {
            throw new GenerationException(NO_ENGINE, e);
        }
    }

    @Override
    public DataSource ownerDataSource() {
        return scratch.ownerDataSource();
    }

    @Override
    public DataSource adminDataSource() {
        return scratch.adminDataSource();
    }

    @Override
    public String describe() {
        return "PostgreSQL container " + container.getDockerImageName();
    }

    @Override
    public void close() {
        try {
            scratch.close();
        } finally {
            container.stop();
        }
    }
}
