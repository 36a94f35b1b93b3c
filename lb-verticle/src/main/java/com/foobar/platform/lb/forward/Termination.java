package com.foobar.platform.lb.forward;

/**
 * How one client request through the balancer ended, after HAProxy's termination states: who ended it (client,
 * server, balancer) and at which stage, as the two-letter {@link #code} of the access log ({@code C}/{@code c}
 * client closed / timed out, {@code S}/{@code s} server failed / timed out, {@code P} the balancer refused;
 * then {@code C} connect, {@code H} waiting for the response head, {@code D} relaying data, {@code R} the
 * request; {@code --} a complete exchange). Only the states a server caused count toward passive ejection
 * ({@code errorLimit}): a client that closes its tab says nothing about the server, and neither does a 503 the
 * server sends on purpose with {@code Retry-After} (say, while its database fails over).
 */
public enum Termination {
  COMPLETED("--", "none", false),
  CLIENT_ABORTED_BEFORE_ANSWER("CH", "client", false),
  CLIENT_ABORTED_WHILE_RELAYING("CD", "client", false),
  CLIENT_TIMEOUT("cD", "client", false),
  SERVER_REFUSED("SC", "server", true),
  SERVER_CLOSED("SH", "server", true),
  SERVER_TIMEOUT("sH", "server", true),
  SERVER_BROKE_BODY("SD", "server", true),
  SERVER_5XX("--", "server", true),
  SERVER_RETRY_AFTER("--", "server", false),
  LOCAL_REFUSED("PR", "balancer", false);

  /** The two letters of the access log. */
  private final String code;
  /** The metric's {@code side} label. */
  private final String side;
  /** The metric's {@code reason} label and the access log's readable reason. */
  private final String reason;
  /** Whether this ending is evidence against the server ({@code errorLimit}). */
  private final boolean serverFault;

  Termination(String code, String side, boolean serverFault) {
    this.code = code;
    this.side = side;
    this.reason = name().toLowerCase(java.util.Locale.ROOT);
    this.serverFault = serverFault;
  }

  public String code() { return code; }
  public String side() { return side; }
  public String reason() { return reason; }
  boolean serverFault() { return serverFault; }

  /** A backend's answer: 5xx counts against it, except a 503 that says when to come back. */
  static Termination ofAnswer(int status, boolean hasRetryAfter) {
    if (status == 503 && hasRetryAfter) {
      return SERVER_RETRY_AFTER;
    }
    return status >= 500 ? SERVER_5XX : COMPLETED;
  }

  /**
   * How a request ended, when its response ended or its client went away: what the forwarding recorded
   * ({@code recorded}, or null), unless the response never ended, which is the client's doing (a server that broke
   * the body off was recorded as such before the client's response was cut).
   */
  static Termination atEnd(Termination recorded, boolean ended, boolean headWritten, long elapsedNanos,
                           long clientIdleTimeoutNanos) {
    if (!ended && recorded != SERVER_BROKE_BODY) {
      return ofClientGone(headWritten, elapsedNanos, clientIdleTimeoutNanos);
    }
    return recorded == null ? COMPLETED : recorded;
  }

  /**
   * The client went away before its response was complete: before the head was sent, while it was relayed, or
   * (when the request had been waiting at least the client idle timeout) because the balancer's idle timer closed
   * a silent connection.
   */
  static Termination ofClientGone(boolean headWritten, long elapsedNanos, long clientIdleTimeoutNanos) {
    if (elapsedNanos >= clientIdleTimeoutNanos) {
      return CLIENT_TIMEOUT;
    }
    return headWritten ? CLIENT_ABORTED_WHILE_RELAYING : CLIENT_ABORTED_BEFORE_ANSWER;
  }
}
