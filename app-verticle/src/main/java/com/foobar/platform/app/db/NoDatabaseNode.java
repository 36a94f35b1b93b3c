package com.foobar.platform.app.db;

/**
 * No database node could serve the request now (refused, unreachable, read-only, out of connections, a lock
 * wait or deadlock): the request was not wrong and may be retried later. The driver's failure is the cause.
 */
public final class NoDatabaseNode extends RuntimeException {

  NoDatabaseNode(Throwable cause) {
    super("the database cannot serve this request now; retry later", cause, false, false);
  }
}
