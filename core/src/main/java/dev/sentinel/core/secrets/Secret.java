package dev.sentinel.core.secrets;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.internal.SecretAccess;
import dev.sentinel.core.internal.SecretBinding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a column commented {@code sentinel:secret}, as the codegen plugin types it in the
 * generated records. Either a clear value the service is about to write ({@link #of}), which the
 * repository seals on insert and update, or a sealed value read from the database, which
 * {@link #reveal()} opens on demand. The clear text is held only by a value made with {@link #of}
 * and returned only by {@link #reveal()}: {@link #toString()} is always {@code Secret[redacted]}, so
 * a record's {@code toString()}, a log line or an exception message never shows it.
 *
 * <p>A sealed value is bound to the table, column, tenant and row it was read from. Copying it into
 * another record (another row) through the repository re-seals it for that row; copying the stored
 * text with raw SQL makes a value that no longer opens. Immutable and thread-safe.
 */
public final class Secret {

    static {
        SecretAccess.install(new Hooks());
    }

    private final String clearText;
    private final String ciphertext;
    private final SecretBinding binding;

    private Secret(String clearText, String ciphertext, SecretBinding binding) {
        this.clearText = clearText;
        this.ciphertext = ciphertext;
        this.binding = binding;
    }

    /**
     * A clear value to write into a secret column, e.g.
     * {@code tx.table(VAULT_ITEMS).insert(record.setApiSecret(Secret.of(token)))}. The repository
     * seals it with the primary key before it leaves the JVM.
     *
     * @param clearText the secret; may be empty
     * @return the value
     * @throws InvalidInputException if {@code clearText} is null (write a null column instead)
     */
    public static Secret of(String clearText) {
        if (clearText == null) {
            throw new InvalidInputException("Secret.of(null): to clear a secret column, set the column to null");
        }
        return new Secret(clearText, null, null);
    }

    /** A sealed value as the database holds it, not yet bound to its row. */
    static Secret sealed(String ciphertext) {
        return new Secret(null, Objects.requireNonNull(ciphertext, "ciphertext"), null);
    }

    /** The stored form, or null for a clear value. */
    String storedForm() {
        return ciphertext;
    }

    /**
     * The clear text. For a value read through the repository ({@code tx.table(...)}), opens it
     * with the key its stored form names; nothing is cached.
     *
     * @return the clear text
     * @throws SecretKeyException if no keys are configured, or none with the id the value was sealed under
     * @throws SecretIntegrityException if the stored value was altered or copied from another row,
     *     column or tenant
     * @throws SentinelException if the value was read through raw SQL ({@code tx.dsl()}), which
     *     does not know its row: read the row through {@code tx.table(...)}
     */
    public String reveal() {
        if (clearText != null) {
            return clearText;
        }
        if (binding == null) {
            throw new SentinelException("This secret was read through raw SQL, which does not bind it to its table,"
                    + " column, tenant and row, so it cannot be opened: read the row through tx.table(...)");
        }
        return binding.open(ciphertext);
    }

    /**
     * The id of the key the stored value is sealed under, e.g. to see how far a rotation got.
     *
     * @return the key id, or empty for a clear value made with {@link #of}
     */
    public Optional<String> keyId() {
        if (ciphertext == null) {
            return Optional.empty();
        }
        int start = ciphertext.indexOf(':') + 1;
        int end = ciphertext.indexOf(':', start);
        return start > 0 && end > start ? Optional.of(ciphertext.substring(start, end)) : Optional.empty();
    }

    /**
     * Never the value.
     *
     * @return {@code Secret[redacted]}
     */
    @Override
    public String toString() {
        return "Secret[redacted]";
    }

    /**
     * Two clear values are equal if their texts are (compared in constant time); two sealed values
     * if their stored forms are. A clear value never equals a sealed one: sealing is randomized.
     */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Secret that)) {
            return false;
        }
        if (clearText != null || that.clearText != null) {
            return clearText != null && that.clearText != null && MessageDigest.isEqual(
                    clearText.getBytes(StandardCharsets.UTF_8), that.clearText.getBytes(StandardCharsets.UTF_8));
        }
        return ciphertext.equals(that.ciphertext);
    }

    /** Of the stored form; the same constant for every clear value, so that no hash of a clear text exists. */
    @Override
    public int hashCode() {
        return ciphertext == null ? 0x5ec7e7 : ciphertext.hashCode();
    }

    /** What Sentinel's internals may do that the public API does not offer. */
    private static final class Hooks implements SecretAccess.Hooks {
        @Override
        public Secret sealed(String ciphertext, SecretBinding binding) {
            return new Secret(null, Objects.requireNonNull(ciphertext, "ciphertext"), binding);
        }

        @Override
        public String clearText(Secret secret) {
            return secret.clearText;
        }

        @Override
        public String ciphertext(Secret secret) {
            return secret.ciphertext;
        }

        @Override
        public SecretBinding binding(Secret secret) {
            return secret.binding;
        }

        @Override
        public Map<String, byte[]> material(SecretKeys keys) {
            Map<String, byte[]> material = new HashMap<>();
            keys.keys().forEach((id, key) -> material.put(id, key.material()));
            return material;
        }
    }
}
