package dev.sentinel.core;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import java.util.UUID;

/** UUIDv7 ids: time-ordered, so id order is creation order and keyset pages follow it. */
public final class Ids {

    // Monotonic within a millisecond; thread-safe.
    private static final NoArgGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private Ids() {
    }

    /**
     * A new UUIDv7.
     *
     * @return the id
     */
    public static UUID next() {
        return GENERATOR.generate();
    }
}
