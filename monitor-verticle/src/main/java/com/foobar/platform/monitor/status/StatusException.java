package com.foobar.platform.monitor.status;

/**
 * Why {@code /api/status} cannot answer a request: the monitor's error mapper turns each into its status and
 * error code.
 */
public abstract sealed class StatusException extends RuntimeException
  permits StatusException.NotReady, StatusException.BadParameter {

  StatusException(String message) {
    super(message, null, false, false);
  }

  /** Before the first round every component would read as down: "not yet" instead of a false outage. */
  public static final class NotReady extends StatusException {
    public NotReady() {
      super("the first probe round has not completed yet");
    }
  }

  /** A query parameter the request got wrong. */
  public static final class BadParameter extends StatusException {
    private final String parameter;

    public BadParameter(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }

    public String parameter() {
      return parameter;
    }
  }
}
