package com.foobar.platform.monitor.failover;

/**
 * Why the failover manager refused or could not do what an operator asked (a switchover, a forced failover):
 * the monitor's error mapper turns each into its HTTP status and error code, in one place.
 */
public abstract sealed class FailoverException extends RuntimeException permits FailoverException.NoSuchNode,
  FailoverException.TargetRequired, FailoverException.AlreadyWriter, FailoverException.SwitchoverNotReady,
  FailoverException.SwitchoverFailed, FailoverException.WriterAlive, FailoverException.FailoverNotReady,
  FailoverException.FailoverFailed, FailoverException.ManagerOff {

  FailoverException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** The target names no managed node. */
  public static final class NoSuchNode extends FailoverException {
    public NoSuchNode(String name) {
      super("no database node named " + name, null);
    }
  }

  /** The request names no target at all. */
  public static final class TargetRequired extends FailoverException {
    public TargetRequired(String message) {
      super(message, null);
    }
  }

  /** A switchover to the node that is the writer already. */
  public static final class AlreadyWriter extends FailoverException {
    public AlreadyWriter(String name) {
      super(name + " is the writer", null);
    }
  }

  /** A switchover needs a writable writer and a target replicating from it. */
  public static final class SwitchoverNotReady extends FailoverException {
    public SwitchoverNotReady() {
      super("switchover needs a writable writer and a target replicating from it; use failover when the writer"
        + " is down", null);
    }
  }

  /** The target could not be promoted; the writer was un-fenced and nothing changed. */
  public static final class SwitchoverFailed extends FailoverException {
    public SwitchoverFailed(Throwable cause) {
      super("the writer is unchanged: " + cause.getMessage(), cause);
    }
  }

  /** A forced failover while the writer is writable: that is a switchover's job. */
  public static final class WriterAlive extends FailoverException {
    public WriterAlive(String writer) {
      super(writer + " is writable: use POST /admin/switchover", null);
    }
  }

  /** The election says the target may not become the writer (it lacks what another node holds, say). */
  public static final class FailoverNotReady extends FailoverException {
    public FailoverNotReady(String reason) {
      super(reason, null);
    }
  }

  /** The forced promotion did not leave the target writable. */
  public static final class FailoverFailed extends FailoverException {
    public FailoverFailed() {
      super("see GET /admin/failover events", null);
    }
  }

  /** No failover manager runs: its credentials could not be read. */
  public static final class ManagerOff extends FailoverException {
    public ManagerOff() {
      super("the failover manager is not running (no failover credentials)", null);
    }
  }
}
