package dev.sentinel.core.internal;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.SentinelModule;
import dev.sentinel.core.Tx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The types {@link Tx#attach(Class)} hands out, registered by modules and the service while the
 * Sentinel is built, then read-only (and so thread-safe) once {@link #seal()} was called.
 */
public final class ExtensionRegistry implements SentinelModule.Extensions {

    private final Map<Class<?>, Function<? super Tx, ?>> factories = new LinkedHashMap<>();
    private boolean sealed;

    @Override
    public <T> void add(Class<T> type, Function<? super Tx, ? extends T> factory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        if (sealed) {
            throw new ConfigurationException("Extensions are registered only before Sentinel.Builder.build()");
        }
        if (factories.putIfAbsent(type, factory) != null) {
            throw new ConfigurationException("Sentinel: " + type.getName() + " is registered twice (by two modules, or a"
                    + " module and extension(...)); register each type once");
        }
    }

    /** Ends registration. */
    public void seal() {
        sealed = true;
    }

    <T> T attach(Class<T> type, Tx tx) {
        Function<? super Tx, ?> factory = factories.get(Objects.requireNonNull(type, "type"));
        if (factory == null) {
            throw new ConfigurationException("tx.attach(" + type.getSimpleName() + ".class): no module or extension"
                    + " registered " + type.getName() + "; add its module to Sentinel.builder() with .module(...), or"
                    + " register the type with .extension(" + type.getSimpleName() + ".class, factory)");
        }
        return type.cast(factory.apply(tx));
    }
}
