package dev.sentinel.spring.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * The system scope's own pool ({@code sentinel.system.*}), as the system role: a bean of its own so
 * that the context closes it after the {@code Sentinel} that uses it. Not a {@code DataSource} bean,
 * which would make Boot's own DataSource back off. Thread-safe.
 */
public final class SystemPool implements AutoCloseable {

    private final HikariDataSource pool;

    /**
     * Opens the pool lazily (the first connection is made at first use).
     *
     * @param url the JDBC URL
     * @param username the system role
     * @param password its password, never logged
     * @param maximumPoolSize the pool's size
     */
    public SystemPool(String url, String username, String password, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sentinel-system");
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    /**
     * The pool.
     *
     * @return its DataSource
     */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
