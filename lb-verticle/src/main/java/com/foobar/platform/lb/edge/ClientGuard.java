package com.foobar.platform.lb.edge;

import com.foobar.platform.lb.metrics.LbMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Client-side limits of one verticle instance's public server: the per-client connection cap, checked on accept,
 * and the request-head timeout.
 *
 * <p>Request-head timeout (HAProxy's {@code timeout http-request}, the slowloris defence): a connection must
 * deliver a complete request head within {@code requestHeaderTimeoutMs} of opening, and again of its last
 * response finishing. Vert.x calls the request handler only once a head is complete and its idle timeout resets on
 * every byte, so a client trickling one header byte a second would hold a connection forever; this deadline does
 * not reset. On expiry {@code onHeadTimeout} answers the connection (a 408 and a close).
 *
 * <p>The timer is lazy, like HAProxy's: a request only writes a timestamp, and each connection has one timer
 * that, when it fires, either finds the deadline passed or re-arms for the time left. Arming and cancelling a
 * Vert.x timer per request showed in the forwarding path's profile. All state is per event loop: the handlers run
 * on the connection's own context.
 */
public final class ClientGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ClientGuard.class);

  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final long headerTimeoutNanos;
  private final LbMetrics metrics;
  /** The firewall now (a reload may replace it); a connection is counted and released on the one it opened under. */
  private final Firewalls firewalls;
  private final Consumer<HttpConnection> onHeadTimeout;
  /** The watched connections of this event loop; a connection leaves when it closes or becomes a tunnel. */
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  /** One connection's head deadline. */
  private static final class Watch {
    /** Requests in flight on the connection (HTTP/2 may have several). */
    int inFlight;
    /** When the connection started waiting for its next request head. */
    long waitingSince = System.nanoTime();
  }

  public ClientGuard(Vertx vertx, long headerTimeoutMs, LbMetrics metrics, Firewalls firewalls,
                     Consumer<HttpConnection> onHeadTimeout) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeoutMs;
    this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs);
    this.metrics = metrics;
    this.firewalls = firewalls;
    this.onHeadTimeout = onHeadTimeout;
  }

  /**
   * Counts the connection against its client's cap (HAProxy's {@code sc_conn_cur}); one over it is closed at
   * once, before a byte is read, so a client cannot hold more sockets than allowed even with slow heads.
   */
  public Handler<HttpConnection> connectionHandler() {
    return connection -> {
      String ip = connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress();
      // The firewall of the moment (a reload may swap it); the connection is released to the one that counted it.
      Firewall firewall = firewalls.current();
      Firewall.Client counted = firewall.connectionOpened(ip);
      if (counted == null) {
        metrics.rejected("too_many_connections");
        LOG.debug("closing a connection of {}: over its connection cap", ip);
        connection.close();
        return;
      }
      metrics.connectionOpened();
      FlushBatching.install(connection);
      Watch watch = new Watch();
      watches.put(connection, watch);
      arm(connection, watch, headerTimeoutMs);
      connection.closeHandler(v -> {
        metrics.connectionClosed();
        firewall.connectionClosed(counted);
        watches.remove(connection);
      });
    };
  }

  public void requestStarted(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.inFlight++;
    }
  }

  public void requestEnded(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null && --watch.inFlight == 0) {
      watch.waitingSince = System.nanoTime();
    }
  }

  /**
   * Runs {@code action} on each connection with nothing in flight that has waited at least {@code nanos} for its
   * next request ({@link ConnectionDrain}); the action may close it.
   */
  void forEachIdle(long nanos, Consumer<HttpConnection> action) {
    long now = System.nanoTime();
    List<HttpConnection> idle = new ArrayList<>();
    watches.forEach((connection, watch) -> {
      if (watch.inFlight == 0 && now - watch.waitingSince >= nanos) {
        idle.add(connection);
      }
    });
    idle.forEach(action);
  }

  /** A WebSocket tunnel has its own idle timeout; the head deadline no longer applies. */
  public void tunnelOpened(HttpServerRequest request) {
    watches.remove(request.connection());
  }

  private void arm(HttpConnection connection, Watch watch, long delayMs) {
    vertx.setTimer(Math.max(1, delayMs), fired -> check(connection, watch));
  }

  /** The connection's timer fired: a timeout when it has waited too long for a head, else wait for the time left. */
  private void check(HttpConnection connection, Watch watch) {
    if (watches.get(connection) != watch) {
      return; // closed, or now a tunnel
    }
    if (watch.inFlight > 0) {
      arm(connection, watch, headerTimeoutMs);
      return;
    }
    long waited = System.nanoTime() - watch.waitingSince;
    if (waited >= headerTimeoutNanos) {
      watches.remove(connection);
      metrics.headTimedOut();
      LOG.debug("408 to {}: no complete request head within {} ms", connection.remoteAddress(), headerTimeoutMs);
      onHeadTimeout.accept(connection);
    } else {
      arm(connection, watch, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos - waited) + 1);
    }
  }
}
