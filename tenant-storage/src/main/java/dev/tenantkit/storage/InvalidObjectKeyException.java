package dev.tenantkit.storage;

import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.TenantKitException;

/**
 * A relative object key broke one of the {@link ObjectKeys} rules; nothing was sent to S3.
 * Answered over HTTP as 400 {@code invalid-object-key} (the key comes from the request).
 */
public final class InvalidObjectKeyException extends TenantKitException implements HttpProblem {
  private static final long serialVersionUID = 1L;

  /** The rule a key broke. */
  public enum Rule {
    /** The key is empty. */
    EMPTY("must not be empty"),
    /** The key starts with '/'. */
    ABSOLUTE("must be relative (no leading '/')"),
    /** A segment between slashes is empty ("a//b", "a/"). */
    EMPTY_SEGMENT("must not contain an empty segment"),
    /** A segment is "." or "..". */
    DOT_SEGMENT("must not contain a '.' or '..' segment"),
    /** The key contains '\'. */
    BACKSLASH("must not contain a backslash"),
    /** The key contains a control character. */
    CONTROL_CHARACTER("must not contain control characters"),
    /** The key is not valid Unicode (an unpaired surrogate cannot be encoded as UTF-8). */
    INVALID_UTF8("must be valid UTF-8"),
    /** A percent-encoded '.', '/', '\', '%' or control character. */
    ENCODED_SEPARATOR("must not contain percent-encoded dots, slashes, backslashes, '%' or controls"),
    /**
     * An invisible or direction-changing character (Unicode format characters such as U+200B,
     * U+202E, U+2066, U+FEFF; line and paragraph separators).
     */
    INVISIBLE_CHARACTER("must not contain invisible or direction-changing characters"),
    /** A Unicode character that looks like or normalizes to '.', '/' or '\'. */
    LOOKALIKE("must not contain look-alikes of '.', '/' or '\\'"),
    /** With the tenant's prefix, the key exceeds S3's 1,024 bytes. */
    TOO_LONG("must fit S3's 1024-byte key limit together with the tenant prefix");

    private final String description;

    Rule(String description) {
      this.description = description;
    }

    /** What the rule requires. */
    public String description() {
      return description;
    }
  }

  private final Rule rule;

  InvalidObjectKeyException(Rule rule, String key) {
    super("invalid object key " + quote(key) + ": " + rule.description());
    this.rule = rule;
  }

  /** The broken rule. */
  public Rule rule() {
    return rule;
  }

  @Override
  public int httpStatus() {
    return 400;
  }

  @Override
  public String problemCode() {
    return "invalid-object-key";
  }

  @Override
  public String problemTitle() {
    return "Invalid object key";
  }
}
