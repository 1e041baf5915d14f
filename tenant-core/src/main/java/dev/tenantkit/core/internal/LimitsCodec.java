package dev.tenantkit.core.internal;

import static dev.tenantkit.core.internal.CatalogField.count;

import dev.tenantkit.core.RequestLimits;

/** The catalog's {@code limits} object: all three of {@link RequestLimits}, each required. */
final class LimitsCodec {
  /** What the record's limits are read into before they are checked together. */
  static final class Builder {
    private int requestsPerSecond;
    private int burst;
    private int maxConcurrentRequests;

    RequestLimits build() {
      return new RequestLimits(requestsPerSecond, burst, maxConcurrentRequests);
    }
  }

  static final CatalogSection<RequestLimits, Builder> SECTION = CatalogSection.of(Builder::new, Builder::build)
      .required(count("requestsPerSecond", RequestLimits::requestsPerSecond, (b, v) -> b.requestsPerSecond = v))
      .required(count("burst", RequestLimits::burst, (b, v) -> b.burst = v))
      .required(count("maxConcurrentRequests", RequestLimits::maxConcurrentRequests,
          (b, v) -> b.maxConcurrentRequests = v));

  private LimitsCodec() {}
}
