package com.foobar.platform.monitor.probe;

import io.vertx.mysqlclient.MySQLException;

/** One-line reasons for failures, for the status page, alert descriptions and the log. */
public final class Failures {

  private Failures() {
  }

  /** The failure's message, or its class when it has none; a MySQL error as the server's words and its code. */
  public static String describe(Throwable failure) {
    String message = failure.getMessage() == null || failure.getMessage().isBlank()
      ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof MySQLException mysql) {
      // Its message is "{errorMessage=..., errorCode=..., sqlState=...}": keep the server's words and the code.
      int start = message.indexOf("errorMessage=");
      int end = message.lastIndexOf(", errorCode=");
      String text = start >= 0 && end > start ? message.substring(start + "errorMessage=".length(), end) : message;
      return text + " (MySQL error " + mysql.getErrorCode() + ")";
    }
    return message;
  }
}
