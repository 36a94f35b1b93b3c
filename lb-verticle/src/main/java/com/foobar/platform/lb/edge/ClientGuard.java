package com.foobar.platform.lb.edge;

import com.foobar.platform.lb.metrics.LbMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * <p>The timer is lazy, like HAProxy's: a request only writes a timestamp, and one timer per event loop (not one
 * per connection: a timer is about 200 bytes of heap, a twentieth of an idle keep-alive connection) fires at the
 * earliest deadline. The watches are kept in the order their connections last started waiting (a map in access
 * order, touched when a request starts and ends), so the waiting connections are in deadline order and the timer
 * looks only at those whose deadline passed, plus the busy ones ahead of them. Arming and cancelling a Vert.x
 * timer per request showed in the forwarding path's profile. All state is per event loop: the handlers run on the
 * connection's own context.
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
  /**
   * The watched connections of this event loop, least recently touched first; a connection leaves when it closes
   * or becomes a tunnel.
   */
  private final Map<HttpConnection, Watch> watches = new LinkedHashMap<>(16, 0.75f, true);
  /** The one head-deadline timer of this event loop, or -1 while none is armed (no connection is watched). */
  private long timer = -1;

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
      watches.put(connection, new Watch());
      if (timer < 0) {
        arm(headerTimeoutMs);
      }
      connection.closeHandler(v -> {
        metrics.connectionClosed();
        firewall.connectionClosed(counted);
        watches.remove(connection);
      });
    };
  }

  /** Touches the watch (moves it last): it waits again only once this request ends. */
  public void requestStarted(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.inFlight++;
    }
  }

  /** Touches the watch (moves it last): when its connection has nothing in flight it waits from now. */
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

  private void arm(long delayMs) {
    timer = vertx.setTimer(Math.max(1, delayMs), fired -> check());
  }

  /**
   * The timer fired: a 408 to each waiting connection past its deadline, then the timer is armed for the next
   * deadline (or a whole timeout while only busy connections are watched, none while none is).
   */
  private void check() {
    timer = -1;
    long now = System.nanoTime();
    List<HttpConnection> late = new ArrayList<>();
    long next = -1;
    for (Map.Entry<HttpConnection, Watch> entry : watches.entrySet()) {
      Watch watch = entry.getValue();
      if (watch.inFlight > 0) {
        continue; // busy: it waits again from its last request's end, and moves last then
      }
      long waited = now - watch.waitingSince;
      if (waited < headerTimeoutNanos) {
        next = TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos - waited) + 1;
        break; // the waiting ones after it started waiting later
      }
      late.add(entry.getKey());
    }
    for (HttpConnection connection : late) {
      watches.remove(connection);
      metrics.headTimedOut();
      LOG.debug("408 to {}: no complete request head within {} ms", connection.remoteAddress(), headerTimeoutMs);
      onHeadTimeout.accept(connection);
    }
    if (next >= 0) {
      arm(next);
    } else if (!watches.isEmpty()) {
      arm(headerTimeoutMs);
    }
  }
}
