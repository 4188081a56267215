package dev.sentinel.spring.internal;

import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;

/**
 * Makes every {@link Flyway} bean (Boot's own, when spring-boot-flyway is present, or the
 * service's) depend on the {@code Sentinel} bean, whose start-up applies Sentinel's migrations as
 * the owner: Sentinel's schema is then in place before any other migration runs, whatever order
 * the beans are declared or asked for in.
 */
public final class FlywayAfterSentinel extends AbstractDependsOnBeanFactoryPostProcessor {

    /**
     * Creates the post-processor.
     *
     * @param sentinelBeanName the name of the {@code Sentinel} bean
     */
    public FlywayAfterSentinel(String sentinelBeanName) {
        super(Flyway.class, sentinelBeanName);
    }
}
