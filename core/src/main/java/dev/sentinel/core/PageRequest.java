package dev.sentinel.core;

import java.util.Optional;
import java.util.UUID;

/**
 * A keyset page request: at most {@link #size()} rows whose id is greater than {@link #after()}, in
 * id order. Ids are UUIDv7, so id order is creation order, and a page costs the same however deep
 * it is (no OFFSET). Immutable.
 *
 * @param after the last id of the previous page, or {@code null} for the first page
 * @param size 1 to 1000 rows
 */
public record PageRequest(UUID after, int size) {

    /** The largest page size. */
    public static final int MAX_SIZE = 1000;

    /**
     * Validates the size.
     *
     * @throws InvalidInputException if {@code size} is outside 1..1000
     */
    public PageRequest {
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("PageRequest: size " + size + " is outside 1.." + MAX_SIZE);
        }
    }

    /**
     * The first page.
     *
     * @param size 1 to 1000 rows
     * @return the request
     */
    public static PageRequest first(int size) {
        return new PageRequest(null, size);
    }

    /**
     * The cursor, as an optional.
     *
     * @return the last id of the previous page, or empty for the first page
     */
    public Optional<UUID> afterId() {
        return Optional.ofNullable(after);
    }
}
