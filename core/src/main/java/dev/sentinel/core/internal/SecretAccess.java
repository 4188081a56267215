package dev.sentinel.core.internal;

import dev.sentinel.core.secrets.Secret;
import dev.sentinel.core.secrets.SecretKeys;
import java.util.Map;

/**
 * Gives Sentinel's internals what {@link Secret} and {@link SecretKeys} do not publish: making a
 * sealed value bound to its row, reading a value's clear text or stored form without opening it,
 * and the key material. {@code Secret} installs the hooks when its class is initialized (the JDK's
 * "shared secrets" pattern), which keeps those constructors and accessors out of the public API.
 * Not API.
 */
public final class SecretAccess {

    /** The operations {@link Secret} provides to the internals. */
    public interface Hooks {
        /**
         * A sealed value.
         *
         * @param ciphertext the stored form, {@code sv1:...}
         * @param binding where it is stored, or {@code null} if unknown
         * @return the value
         */
        Secret sealed(String ciphertext, SecretBinding binding);

        /**
         * The clear text of a value made with {@code Secret.of}.
         *
         * @param secret the value
         * @return the clear text, or {@code null} for a sealed value
         */
        String clearText(Secret secret);

        /**
         * The stored form of a sealed value.
         *
         * @param secret the value
         * @return the stored form, or {@code null} for a clear value
         */
        String ciphertext(Secret secret);

        /**
         * Where a sealed value was read from.
         *
         * @param secret the value
         * @return the binding, or {@code null}
         */
        SecretBinding binding(Secret secret);

        /**
         * The key material of a key ring.
         *
         * @param keys the ring
         * @return copies of the material by key id
         */
        Map<String, byte[]> material(SecretKeys keys);
    }

    private static volatile Hooks hooks;

    private SecretAccess() {
    }

    /**
     * Installs the hooks; {@link Secret} does, once.
     *
     * @param installed the hooks
     * @throws IllegalStateException if hooks are installed already
     */
    public static synchronized void install(Hooks installed) {
        if (hooks != null) {
            throw new IllegalStateException("SecretAccess: the hooks are installed once, by Secret");
        }
        hooks = installed;
    }

    static Hooks hooks() {
        Hooks installed = hooks;
        if (installed == null) {
            try {
                // Initializing Secret installs the hooks.
                Class.forName(Secret.class.getName(), true, Secret.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Secret is missing from the class path", e);
            }
            installed = hooks;
        }
        return installed;
    }
}
