package com.foobar.platform.app;

import com.foobar.platform.common.HttpStatusException;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.ConnectException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** The one place where database failures become HTTP statuses: an unusable database is a 503, not a 500. */
final class DatabaseFailures {

  /** Server errors that mean "cannot serve now", not "your request is wrong". */
  private static final Set<Integer> UNAVAILABLE_CODES = Set.of(
    1040, // too many connections
    1045, // access denied: misconfigured or rotated credentials
    1205, // lock wait timeout
    1213, // deadlock
    1290, // read-only (a replica, or a fenced primary)
    1836, // read-only mode
    2002, 2003, 2006, 2013);

  private DatabaseFailures() {
  }

  /** True when the failure says the node cannot be reached or cannot serve, so another node may. */
  static boolean isUnavailable(Throwable failure) {
    if (failure instanceof ConnectException || failure instanceof ClosedConnectionException
      || failure instanceof TimeoutException) {
      return true;
    }
    return failure instanceof MySQLException && UNAVAILABLE_CODES.contains(((MySQLException) failure).getErrorCode());
  }

  static Optional<HttpStatusException> classify(Throwable failure, int retryAfterSeconds) {
    if (isUnavailable(failure)) {
      return Optional.of(HttpStatusException.unavailable("database_unavailable",
        "the database cannot serve this request now; retry later", retryAfterSeconds, failure));
    }
    return Optional.empty();
  }
}
