package dev.sentinel.spring;

import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Context runners over a SentinelDatabase, and fresh empty databases for start-up tests. */
final class StarterFixture {

    private StarterFixture() {
    }

    /** A context with Boot's DataSource as the application role and the owner for migrations. */
    static ApplicationContextRunner runner(SentinelDatabase db) {
        return runner(db, db.jdbcUrl());
    }

    static ApplicationContextRunner runner(SentinelDatabase db, String jdbcUrl) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, SentinelAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=" + jdbcUrl,
                        "spring.datasource.username=" + db.roles().app(),
                        "spring.datasource.password=" + db.rolePassword(),
                        "sentinel.system.username=" + db.roles().system(),
                        "sentinel.system.password=" + db.rolePassword(),
                        "sentinel.owner.username=" + db.roles().owner(),
                        "sentinel.owner.password=" + db.rolePassword());
    }

    /**
     * Creates an empty database owned by the owner role, as an operator would for a new service.
     *
     * @return its name
     */
    static String createEmptyDatabase(SentinelDatabase db) throws SQLException {
        String name = "fresh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = db.adminDataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create database " + name + " owner " + db.roles().owner() + " template template0");
        }
        return name;
    }

    static void dropDatabase(SentinelDatabase db, String name) throws SQLException {
        try (Connection connection = db.adminDataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        }
    }

    /** The JDBC URL of another database on the same server. */
    static String urlOf(SentinelDatabase db, String database) {
        String url = db.jdbcUrl();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }
}
