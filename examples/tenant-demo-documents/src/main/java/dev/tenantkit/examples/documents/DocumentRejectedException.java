package dev.tenantkit.examples.documents;

/** A request the documents API refuses, with the HTTP status and a problem title to answer with. */
public final class DocumentRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;

  public DocumentRejectedException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
