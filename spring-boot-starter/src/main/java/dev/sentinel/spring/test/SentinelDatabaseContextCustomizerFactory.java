package dev.sentinel.spring.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds a static {@link dev.sentinel.testing.SentinelDatabase} field on a Spring test class (or a
 * class enclosing it) and customizes the test's context with it, see {@link SentinelDatabaseContextCustomizer}.
 * Registered in {@code META-INF/spring.factories}; does nothing when sentinel-test is absent or the
 * class has no such field.
 */
public final class SentinelDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    private static final String DATABASE_CLASS = "dev.sentinel.testing.SentinelDatabase";

    /** Creates the factory; Spring does. */
    public SentinelDatabaseContextCustomizerFactory() {
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        if (!ClassUtils.isPresent(DATABASE_CLASS, testClass.getClassLoader())) {
            return null;
        }
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType().getName().equals(DATABASE_CLASS)) {
                    return new SentinelDatabaseContextCustomizer(field);
                }
            }
        }
        return null;
    }
}
