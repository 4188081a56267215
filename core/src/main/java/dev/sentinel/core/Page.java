package dev.sentinel.core;

import java.util.List;
import java.util.Optional;

/**
 * One page of rows and the request for the next page, if there is one. Immutable.
 *
 * @param items the rows, in id order
 * @param next the next page's request, or empty on the last page
 * @param <R> the record type
 */
public record Page<R>(List<R> items, Optional<PageRequest> next) {

    /** Copies the items. */
    public Page {
        items = List.copyOf(items);
    }
}
