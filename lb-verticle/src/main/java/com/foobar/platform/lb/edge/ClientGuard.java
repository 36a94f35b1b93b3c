package com.foobar.platform.lb;

import com.foobar.platform.common.HttpStatusException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Client-side limits of one verticle instance's public server.
 *
 * <p>Request-head timeout (HAProxy's {@code timeout http-request}, the slowloris defence): a connection must
 * deliver a complete request head within {@code requestHeaderTimeout} of opening, and again of its last response
 * finishing. Vert.x calls the request handler only once a head is complete and its idle timeout resets on every
 * byte, so a client trickling one header byte a second would hold a connection forever; this deadline does not
 * reset. On expiry the client gets a 408 and the connection is closed. Vert.x has no API to answer a request
 * that never completed, so the 408 is written on the Netty channel (Vert.x internal {@code ConnectionBase}).
 *
 * <p>The timer is lazy, like HAProxy's: a request only writes a timestamp, and each connection has one timer
 * that, when it fires, either finds the deadline passed or re-arms for the time left. Arming and cancelling a
 * Vert.x timer per request showed in the forwarding path's profile.
 *
 * <p>Oversized request line or headers (rejected by Vert.x's decoder) get a JSON 414 or 431 and a close.
 * All state is per event loop: the handlers run on the connection's own context.
 */
final class ClientGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ClientGuard.class);

  private final Vertx vertx;
  private final long headerTimeout;
  private final long headerTimeoutNanos;
  private final LbMetrics metrics;
  /** The firewall now (a reload may replace it); a connection is counted and released on the one it opened under. */
  private final java.util.function.Supplier<Firewall> firewalls;
  /** The watched connections of this event loop; a connection leaves when it closes or becomes a tunnel. */
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  /** One connection's head deadline. */
  private static final class Watch {
    /** Requests in flight on the connection (HTTP/2 may have several). */
    int inFlight;
    /** When the connection started waiting for its next request head. */
    long waitingSince = System.nanoTime();
  }

  ClientGuard(Vertx vertx, LoadBalancerOptions options, LbMetrics metrics,
              java.util.function.Supplier<Firewall> firewalls) {
    this.vertx = vertx;
    this.headerTimeout = options.getRequestHeaderTimeout();
    this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeout);
    this.metrics = metrics;
    this.firewalls = firewalls;
  }

  /**
   * Counts the connection against its client's cap (HAProxy's {@code sc_conn_cur}); one over it is closed at
   * once, before a byte is read, so a client cannot hold more sockets than allowed even with slow heads.
   */
  Handler<HttpConnection> connectionHandler() {
    return connection -> {
      String ip = connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress();
      // The firewall of the moment (a reload may swap it); the connection is released to the one that counted it.
      Firewall firewall = firewalls.get();
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
      arm(connection, watch, headerTimeout);
      connection.closeHandler(v -> {
        metrics.connectionClosed();
        firewall.connectionClosed(counted);
        watches.remove(connection);
      });
    };
  }

  void requestStarted(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.inFlight++;
    }
  }

  void requestEnded(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null && --watch.inFlight == 0) {
      watch.waitingSince = System.nanoTime();
    }
  }

  /**
   * Runs {@code action} on each connection with nothing in flight that has waited at least {@code nanos} for its
   * next request ({@link ConnectionDrain}); the action may close it.
   */
  void forEachIdle(long nanos, java.util.function.Consumer<HttpConnection> action) {
    long now = System.nanoTime();
    java.util.List<HttpConnection> idle = new java.util.ArrayList<>();
    watches.forEach((connection, watch) -> {
      if (watch.inFlight == 0 && now - watch.waitingSince >= nanos) {
        idle.add(connection);
      }
    });
    idle.forEach(action);
  }

  /** A WebSocket tunnel has its own idle timeout; the head deadline no longer applies. */
  void tunnelOpened(HttpServerRequest request) {
    watches.remove(request.connection());
  }

  private void arm(HttpConnection connection, Watch watch, long delayMs) {
    vertx.setTimer(Math.max(1, delayMs), fired -> check(connection, watch));
  }

  /** The connection's timer fired: 408 when it has waited too long for a head, else wait for the time left. */
  private void check(HttpConnection connection, Watch watch) {
    if (watches.get(connection) != watch) {
      return; // closed, or now a tunnel
    }
    if (watch.inFlight > 0) {
      arm(connection, watch, headerTimeout);
      return;
    }
    long waited = System.nanoTime() - watch.waitingSince;
    if (waited >= headerTimeoutNanos) {
      watches.remove(connection);
      requestTimeout(connection);
    } else {
      arm(connection, watch, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos - waited) + 1);
    }
  }

  private void requestTimeout(HttpConnection connection) {
    metrics.rejected("request_timeout");
    metrics.terminated(Termination.CLIENT_TIMEOUT);
    LOG.debug("408 to {}: no complete request head within {} ms", connection.remoteAddress(), headerTimeout);
    if (!(connection instanceof io.vertx.core.http.impl.Http1xServerConnection)) { // HTTP/2: a GOAWAY says enough
      connection.close();
      return;
    }
    byte[] body = new HttpStatusException(408, "request_timeout", "no complete request head within "
      + headerTimeout + " ms").toJson().encode().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
      Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
      .set(HttpHeaderNames.CONTENT_LENGTH, body.length).set(HttpHeaderNames.CONNECTION, "close");
    Channel channel = ((ConnectionBase) connection).channel();
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** Requests Vert.x's decoder rejected: 414 for the request line, 431 for the headers, else 400. */
  Handler<HttpServerRequest> invalidRequestHandler() {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      HttpStatusException error;
      if (cause instanceof TooLongHttpLineException) {
        error = new HttpStatusException(414, "uri_too_long", "the request line is longer than allowed");
      } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
        error = new HttpStatusException(431, "headers_too_large", "the request headers are larger than allowed");
      } else {
        error = new HttpStatusException(400, "bad_request", "the request is malformed");
      }
      metrics.rejected(error.code());
      metrics.terminated(Termination.LOCAL_REFUSED);
      request.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(error.toJson().encode())
        .onComplete(done -> request.connection().close());
    };
  }
}
