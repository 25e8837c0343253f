package io.taskbound;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, in a stable order. Pass {@link #next()} to get the page after it; null
 * means there is nothing after it. A cursor marks a position, not an offset: rows added or changed
 * meanwhile neither shift the next page nor repeat rows already seen.
 *
 * @param items the rows of this page; fewer than asked for (even none) does not mean the end when a
 *     text search stopped early to stay fast, which {@code next} then says
 */
public record Page<T>(List<T> items, @Nullable String next) {

    public Page {
        items = List.copyOf(items);
    }
}
