package dev.tenantkit.core;

/**
 * A tenant record (or one of its sections) is invalid. {@link #field()} names the field at fault
 * as a dotted path relative to the record, for example {@code database.port}.
 */
public final class InvalidTenantRecordException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  /**
   * @param field the field at fault, as a dotted path
   * @param problem what is wrong with it, without secrets
   */
  public InvalidTenantRecordException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The field at fault, as a dotted path relative to the tenant record. */
  public String field() {
    return field;
  }

  /** What is wrong with the field. */
  public String problem() {
    return problem;
  }

  /** The same problem, with {@code prefix} (a section name) put in front of the field. */
  public InvalidTenantRecordException within(String prefix) {
    InvalidTenantRecordException e = new InvalidTenantRecordException(prefix + "." + field, problem);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
