package com.foobar.platform.monitor;

import com.foobar.platform.common.ErrorCode;
import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.monitor.failover.FailoverException;
import com.foobar.platform.monitor.status.StatusException;
import io.vertx.ext.web.Router;

import java.util.Optional;

/**
 * The monitor's one place where failures become HTTP answers: the list of its error codes (each with its status
 * and, for a 503, its Retry-After), and the mapping of the domain's failures onto them. Whatever is not listed
 * falls back to the platform's generic mapping ({@link ErrorResponses}: invalid JSON, 500).
 */
final class MonitorErrors {

  /** Every error the monitor answers with itself. */
  enum Code {
    NOT_FOUND(404, "not_found", 0),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", 0),
    VALIDATION_FAILED(400, "validation_failed", 0),
    /** {@code /api/status} before the first round. */
    STATUS_NOT_READY(503, "not_ready", 1),
    FAILOVER_OFF(503, "failover_off", 60),
    ALREADY_WRITER(409, "already_writer", 0),
    /** A switchover or forced failover the nodes' state does not allow now. */
    NOT_READY(409, "not_ready", 0),
    WRITER_ALIVE(409, "writer_alive", 0),
    SWITCHOVER_FAILED(503, "switchover_failed", 2),
    FAILOVER_FAILED(503, "failover_failed", 0);

    private final ErrorCode error;
    private final int retryAfterSeconds;

    Code(int status, String code, int retryAfterSeconds) {
      this.error = new ErrorCode(status, code);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    HttpStatusException of(String message, String field, Throwable cause) {
      return error.answer(message, field, retryAfterSeconds, cause);
    }

    HttpStatusException of(Throwable failure) {
      return of(failure.getMessage(), null, failure);
    }
  }

  private MonitorErrors() {
  }

  /**
   * Answers every failure on {@code router} with a JSON body, in front of the management endpoints' generic
   * handler, and unknown paths and methods as JSON too.
   */
  static void install(Router router) {
    router.route().order(-1).failureHandler(ErrorResponses.failureHandler(MonitorErrors::classify));
    router.errorHandler(404, ctx -> ErrorResponses.send(ctx.response(), Code.NOT_FOUND.of("no such page", null, null)));
    router.errorHandler(405, ctx -> ErrorResponses.send(ctx.response(),
      Code.METHOD_NOT_ALLOWED.of("method not allowed on this resource", null, null)));
  }

  /** The answer a failure of the monitor's own deserves; empty for what it does not know. */
  static Optional<HttpStatusException> classify(Throwable failure) {
    if (failure instanceof FailoverException refused) {
      return Optional.ofNullable(failover(refused));
    }
    if (failure instanceof StatusException.NotReady) {
      return Optional.of(Code.STATUS_NOT_READY.of(failure));
    }
    if (failure instanceof StatusException.BadParameter bad) {
      return Optional.of(Code.VALIDATION_FAILED.of(bad.getMessage(), bad.parameter(), bad));
    }
    return Optional.empty();
  }

  private static HttpStatusException failover(FailoverException refused) {
    if (refused instanceof FailoverException.NoSuchNode || refused instanceof FailoverException.TargetRequired) {
      return Code.VALIDATION_FAILED.of(refused.getMessage(), "target", refused);
    }
    if (refused instanceof FailoverException.AlreadyWriter) {
      return Code.ALREADY_WRITER.of(refused);
    }
    if (refused instanceof FailoverException.SwitchoverNotReady || refused instanceof FailoverException.FailoverNotReady) {
      return Code.NOT_READY.of(refused);
    }
    if (refused instanceof FailoverException.WriterAlive) {
      return Code.WRITER_ALIVE.of(refused);
    }
    if (refused instanceof FailoverException.SwitchoverFailed) {
      return Code.SWITCHOVER_FAILED.of(refused);
    }
    if (refused instanceof FailoverException.FailoverFailed) {
      return Code.FAILOVER_FAILED.of(refused);
    }
    // A refusal added without its answer here is a 500 (MonitorErrorsTest names every one).
    return refused instanceof FailoverException.ManagerOff ? Code.FAILOVER_OFF.of(refused) : null;
  }
}
