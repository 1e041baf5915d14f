package dev.tenantkit.core;

import java.util.List;

/**
 * Two tenant records, each valid alone, share a wall that must be each tenant's own: a bucket,
 * nested prefixes, a database or schema, a database user, an issuer and app client, a stack name
 * or a load balancer. The catalog refuses the change that would bring them together; a catalog
 * that reloads keeps serving its last good snapshot.
 */
public final class TenantOverlapException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final List<TenantId> tenants;
  private final String field;

  /**
   * @param first the first of the two in id order
   * @param second the second of the two in id order
   * @param field the field both records name, as a dotted path such as {@code storage.bucket}
   * @param problem what they share, without secrets
   */
  public TenantOverlapException(TenantId first, TenantId second, String field, String problem) {
    super("tenants " + first + " and " + second + " overlap on " + field + ": " + problem);
    this.tenants = List.of(first, second);
    this.field = field;
  }

  /** The two tenants, in id order (as the message names them). */
  public List<TenantId> tenants() {
    return tenants;
  }

  /** The field both records name, as a dotted path relative to a record. */
  public String field() {
    return field;
  }
}
