package com.foobar.platform.app.posts;

/**
 * What a request sent is not what the posts API accepts, and why: a field of the post or a query parameter, the
 * body as a whole, or the {@code Idempotency-Key} header ({@link Kind}).
 */
public final class InvalidInput extends RuntimeException {

  /** What is wrong with the input. */
  public enum Kind {
    /** A value (named by {@link #field}) breaks a rule. */
    FIELD,
    /** The body does not parse as JSON. */
    NOT_JSON,
    /** The body is not sent as {@code application/json}. */
    NOT_JSON_CONTENT,
    /** The {@code Idempotency-Key} header is malformed. */
    IDEMPOTENCY_KEY
  }

  private final Kind kind;
  private final String field;

  InvalidInput(Kind kind, String field, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.field = field;
  }

  static InvalidInput field(String field, String message) {
    return new InvalidInput(Kind.FIELD, field, message);
  }

  public Kind kind() {
    return kind;
  }

  /** The input at fault (a field, a parameter, a header), or null for the body as a whole. */
  public String field() {
    return field;
  }
}
