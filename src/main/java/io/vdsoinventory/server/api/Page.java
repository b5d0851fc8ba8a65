package io.vdsoinventory.server.api;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a keyset-paginated list: the envelope of openapi.yaml.
 *
 * @param items the page's items, in key order
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

    /**
     * The page of {@code size} items from {@code fetched}, which holds up to one item more (fetched with
     * {@code LIMIT size + 1}): that extra item tells there is a next page, which starts after the last item's key.
     */
    public static <T> Page<T> of(List<T> fetched, int size, Function<T, String> key) {
        if (fetched.size() <= size) {
            return new Page<>(List.copyOf(fetched), null);
        }
        List<T> page = List.copyOf(fetched.subList(0, size));
        return new Page<>(page, Cursor.encode(key.apply(page.get(size - 1))));
    }
}
