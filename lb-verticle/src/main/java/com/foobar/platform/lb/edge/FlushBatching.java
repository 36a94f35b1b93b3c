package com.foobar.platform.lb.edge;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

/**
 * Defers a connection's flushes to the end of the event loop's current pass over ready sockets, so the
 * balancer sends in bursts like HAProxy does.
 *
 * <p>Vert.x flushes a write at once unless that same connection is reading. A proxy writes almost only to
 * other connections than the one it reads (client request out to a backend, backend response back to the
 * client), so every request became its own send, waking the backend (and the client) once per request. On a
 * machine where they share cores, the woken process preempted the balancer each time (measured: one context
 * switch per request for nginx behind us, one per three behind HAProxy). With the flush deferred, the requests
 * read in one pass go out together and the backend serves them in one wake-up.
 *
 * <p>Netty's {@link FlushConsolidationHandler} does this; it goes just before Vert.x's handler (the channel comes
 * from Vert.x internals, {@link VertxInternals}), so TLS records are cut after the deferred flush too.
 */
public final class FlushBatching {

  /** Flush at once after this many deferred flushes, so a long pass cannot hold data back without bound. */
  private static final int MAX_DEFERRED_FLUSHES = 64;

  private FlushBatching() {
  }

  public static void install(HttpConnection connection) {
    VertxInternals.addBeforeVertx(connection, "flushBatching", new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
  }
}
