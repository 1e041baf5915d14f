package dev.tenantkit.core;

/** A string was offered as a {@link TenantId} and broke one of its rules. */
public final class InvalidTenantIdException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** The rule a candidate id broke; the first broken rule is reported. */
  public enum Rule {
    /** Fewer than 3 or more than 36 characters. */
    LENGTH("must be 3 to 36 characters long"),
    /** A character other than a-z, 0-9 and '-'. */
    CHARACTERS("may contain only lowercase letters a-z, digits 0-9 and '-'"),
    /** Starts or ends with '-'. */
    EDGE("must start and end with a letter or digit"),
    /** Contains "--". */
    CONSECUTIVE_HYPHENS("must not contain consecutive hyphens");

    private final String description;

    Rule(String description) {
      this.description = description;
    }

    /** What the rule requires, in words. */
    public String description() {
      return description;
    }
  }

  private final Rule rule;

  InvalidTenantIdException(Rule rule, String quotedInput) {
    super("invalid tenant id " + quotedInput + ": " + rule.description());
    this.rule = rule;
  }

  /** The rule that was broken. */
  public Rule rule() {
    return rule;
  }
}
