package com.foobar.platform.app.db;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Which driver failures mean "this node cannot serve now" rather than "this statement is wrong". */
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

  /**
   * True when the statement surely never ran: no connection, or refused because the node is read-only (1290,
   * 1836, checked before anything executes). Only such a write may be sent again to another writer.
   */
  static boolean neverRan(Throwable failure) {
    return failure instanceof ConnectException || refusedAsReadOnly(failure);
  }

  /** The node refused the statement because it is read-only: it did not run. */
  static boolean refusedAsReadOnly(Throwable failure) {
    return failure instanceof MySQLException mysql && (mysql.getErrorCode() == 1290 || mysql.getErrorCode() == 1836);
  }

  /**
   * What leaves the database's boundary: an unavailable node as {@link NoDatabaseNode}; any other failure (the
   * work's own domain failures, a wrong statement) as it is.
   */
  static <T> Future<T> asDomain(Throwable failure) {
    return Future.failedFuture(isUnavailable(failure) ? new NoDatabaseNode(failure) : failure);
  }
}
