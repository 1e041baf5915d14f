package dev.tenantkit.storage;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, keys relative to the tenant's space.
 *
 * @param objects the objects of this page
 * @param commonPrefixes the "folders" under the delimiter, relative
 * @param nextToken the token for the next page; bound to this tenant and listing, or null at the end
 */
public record ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, @Nullable String nextToken) {
  /** Copies the lists. */
  public ListPage {
    objects = List.copyOf(objects);
    commonPrefixes = List.copyOf(commonPrefixes);
  }

  /** The next page's token, if there is one. */
  public Optional<String> next() {
    return Optional.ofNullable(nextToken);
  }
}
