package dev.sentinel.spring.internal;

import dev.sentinel.core.Sentinel;
import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Tells Boot that the {@code Sentinel} bean initializes the database (it migrates at start-up), so
 * that beans which depend on database initialization (JdbcTemplate, jOOQ's DSLContext, JPA) are
 * created after it, and ordered first among the initializers, before Boot's Flyway.
 */
public final class SentinelDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    /** Creates the detector; Boot does, from spring.factories. */
    public SentinelDatabaseInitializerDetector() {
    }

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(Sentinel.class);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
