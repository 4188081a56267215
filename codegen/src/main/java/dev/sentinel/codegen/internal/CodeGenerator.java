package dev.sentinel.codegen.internal;

import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.SchemaNames;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.OnError;
import org.jooq.meta.jaxb.Strategy;
import org.jooq.meta.jaxb.Target;

/**
 * Runs one {@link SchemaBuild}: embedded PostgreSQL, role bootstrap, layered migrations as the
 * owner role, jOOQ code generation. The server lives in a try-with-resources block, so it is stopped
 * when any step fails.
 */
public final class CodeGenerator {

    private static final String DATABASE = "sentinel_codegen";
    // Held so that the level set on it is not lost to garbage collection.
    private static final Logger FLYWAY_LOGGER = Logger.getLogger("org.flywaydb");

    private final ClassLoader classLoader;

    /**
     * Creates a generator.
     *
     * @param classLoader the loader that sees the migrations, Flyway, jOOQ and the naming strategy
     */
    public CodeGenerator(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Generates the classes of {@code build}.
     *
     * @param build the validated request
     * @return the number of Java files in the target directory afterwards
     * @throws GenerationException naming the step that failed, with its cause
     */
    public int generate(SchemaBuild build) {
        // jOOQ prints a banner and tips unless told not to; Flyway logs every step at INFO.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        FLYWAY_LOGGER.setLevel(Level.WARNING);
        try (EmbeddedPostgres postgres = start(build.workDirectory().resolve("postgres.log"))) {
            try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
                DatabaseBootstrap.bootstrapRoles(superuser, build.roles());
                DatabaseBootstrap.createDatabase(superuser, DATABASE, build.roles());
            } catch (SQLException e) {
                throw new GenerationException("Could not create Sentinel's roles and the scratch database: " + e.getMessage(), e);
            }
            String owner = build.roles().owner();
            try {
                Migrations.builder(postgres.getDatabase(owner, DATABASE))
                        .roles(build.roles())
                        .serviceLocations(build.locations().toArray(String[]::new))
                        .serviceSchema(build.inputSchema().equals(SchemaNames.SCHEMA) ? "public" : build.inputSchema())
                        .placeholders(build.placeholders())
                        .classLoader(classLoader)
                        .build()
                        .migrate();
            } catch (RuntimeException e) {
                throw new GenerationException("Migrations failed: " + e.getMessage()
                        + "\nFix the migration named above; the database is thrown away after every build.", e);
            }
            GenerationTool tool = new GenerationTool();
            tool.setClassLoader(classLoader);
            try {
                tool.run(jooqConfiguration(build, postgres.getJdbcUrl(owner, DATABASE), owner));
            } catch (Exception e) {
                throw new GenerationException("jOOQ code generation failed: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new GenerationException("Could not start or stop the embedded PostgreSQL: " + e.getMessage()
                    + " (its log: " + build.workDirectory().resolve("postgres.log") + ")", e);
        }
        return countJavaFiles(build.directory());
    }

    private EmbeddedPostgres start(Path log) throws IOException {
        Files.createDirectories(log.getParent());
        // The server's own output goes to a file, not the build log; failures name the file.
        ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(log.toFile());
        return EmbeddedPostgres.builder()
                .setOutputRedirector(redirect)
                .setErrorRedirector(redirect)
                .start();
    }

    private static Configuration jooqConfiguration(SchemaBuild build, String url, String user) {
        return new Configuration()
                .withLogging(Logging.WARN)
                .withOnError(OnError.FAIL)
                .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(url).withUser(user))
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        .withStrategy(new Strategy().withName(SentinelGeneratorStrategy.class.getName()))
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema(build.inputSchema())
                                .withExcludes(SchemaNames.HISTORY_TABLE))
                        .withGenerate(new Generate()
                                .withJavaTimeTypes(true)
                                .withFluentSetters(true)
                                .withGeneratedAnnotation(false)
                                .withComments(true))
                        .withTarget(new Target()
                                .withPackageName(build.packageName())
                                .withDirectory(build.directory().toString())
                                .withClean(true)));
    }

    private static int countJavaFiles(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return (int) files.filter(p -> p.toString().endsWith(".java")).count();
        } catch (IOException e) {
            throw new GenerationException("Could not read the generated sources in " + directory, e);
        }
    }

    /** A step of code generation failed; the message names the step and what to do. */
    public static final class GenerationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GenerationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
