package dev.sentinel.core.secrets;

import dev.sentinel.core.InvalidInputException;
import org.jooq.Converter;

/**
 * Maps a {@code sentinel:secret} column's stored text to {@link Secret} and back; the codegen plugin
 * puts it on every such column. Reading gives a sealed value. Writing passes a sealed value's
 * stored form through and refuses a clear value: only the repository ({@code tx.table(...)}) seals,
 * so a clear value written through raw SQL ({@code tx.dsl()}) fails here, before any SQL is sent.
 * Stateless and thread-safe.
 */
public final class SecretConverter implements Converter<String, Secret> {
    private static final long serialVersionUID = 1L;

    /** Creates the converter; generated code does. */
    public SecretConverter() {
    }

    @Override
    public Secret from(String databaseObject) {
        return databaseObject == null ? null : Secret.sealed(databaseObject);
    }

    @Override
    public String to(Secret userObject) {
        if (userObject == null) {
            return null;
        }
        String ciphertext = userObject.storedForm();
        if (ciphertext == null) {
            throw new InvalidInputException("A clear Secret reached SQL unsealed: raw SQL (tx.dsl()) does not seal."
                    + " Write secret columns through tx.table(...), which seals them for their row");
        }
        return ciphertext;
    }

    @Override
    public Class<String> fromType() {
        return String.class;
    }

    @Override
    public Class<Secret> toType() {
        return Secret.class;
    }
}
