package dev.tenantkit.core;

import org.jspecify.annotations.Nullable;

/**
 * A catalog source could not be loaded: unreadable, not valid JSON, or a record in it is invalid.
 * The message names the source, the line and the field at fault. A file catalog that fails to
 * reload keeps serving its last good state.
 */
public final class CatalogLoadException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final @Nullable String field;

  /**
   * @param source the file or other source that failed
   * @param line the 1-based line at fault, or 0 when not known
   * @param field the field at fault as a path such as {@code tenants[2].database.port}, if known
   * @param problem what is wrong
   * @param cause the underlying error, if any
   */
  public CatalogLoadException(
      String source, int line, @Nullable String field, String problem, @Nullable Throwable cause) {
    super(source + (line > 0 ? " line " + line : "") + ": " + (field == null ? "" : field + ": ")
        + problem, cause);
    this.source = source;
    this.line = line;
    this.field = field;
  }

  /** The source that failed, such as a file path. */
  public String source() {
    return source;
  }

  /** The 1-based line at fault, or 0 when not known. */
  public int line() {
    return line;
  }

  /** The field at fault, if known. */
  public @Nullable String field() {
    return field;
  }
}
