package dev.modelregistry;

import java.util.List;
import java.util.Optional;

/**
 * One page of results. Pages are cut by keyset, not offset: the cursor encodes the sort key of the
 * last item, so versions registered while a caller pages through never shift or repeat items.
 *
 * @param items      the results on this page
 * @param nextCursor pass to {@link VersionQuery.Builder#after(String)} for the next page; null on the last
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }

    public boolean hasNext() {
        return nextCursor != null;
    }
}
