package dev.sentinel.spring.test;

import dev.sentinel.testing.SentinelDatabase;
import java.lang.reflect.Field;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate;

/**
 * Points a test's context at the class's {@link SentinelDatabase}: {@code spring.datasource.*} as
 * the application role, {@code sentinel.owner.*} as the owner (so the context migrates as a
 * service would; the database is migrated already, so nothing is pending), with precedence over
 * the application's own properties. And it registers the context with
 * {@link SentinelDatabase#closeBeforeDrop}, so the context, its job workers and its pool are closed
 * (and removed from Spring's context cache) while the database still exists. One context per test class (each class has its own database).
 */
public final class SentinelDatabaseContextCustomizer implements ContextCustomizer {

    private final Field field;

    /**
     * Creates the customizer.
     *
     * @param field the test class's static {@code SentinelDatabase} field
     */
    SentinelDatabaseContextCustomizer(Field field) {
        this.field = field;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        SentinelDatabase db = database();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("sentinelDatabase", Map.of(
                "spring.datasource.url", db.jdbcUrl(),
                "spring.datasource.username", db.roles().app(),
                "spring.datasource.password", db.rolePassword(),
                "sentinel.roles.owner", db.roles().owner(),
                "sentinel.roles.app", db.roles().app(),
                "sentinel.roles.system", db.roles().system(),
                "sentinel.system.username", db.roles().system(),
                "sentinel.system.password", db.rolePassword(),
                "sentinel.owner.username", db.roles().owner(),
                "sentinel.owner.password", db.rolePassword())));
        // Through Spring's context cache, so that the cache forgets the context as it closes: the
        // test framework's own after-class callbacks, which run later, then find no context to use.
        db.closeBeforeDrop(() -> new DefaultCacheAwareContextLoaderDelegate().closeContext(mergedConfig, HierarchyMode.EXHAUSTIVE));
    }

    private SentinelDatabase database() {
        try {
            field.setAccessible(true);
            SentinelDatabase db = (SentinelDatabase) field.get(null);
            if (db == null) {
                throw new IllegalStateException(field + " is null: initialize it where it is declared");
            }
            return db;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read " + field + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        // One context per test class: each class has a database of its own.
        return other instanceof SentinelDatabaseContextCustomizer that && that.field.equals(field);
    }

    @Override
    public int hashCode() {
        return field.hashCode();
    }
}
