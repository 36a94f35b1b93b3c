package com.foobar.platform.lb.edge;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.concurrent.TimeUnit;

/**
 * How one verticle instance's public server hands its clients over to the balancer process that replaces it
 * (both listen on the same port with {@code SO_REUSEPORT}; once this one's listener closes, the kernel sends new
 * connections, and with {@code net.ipv4.tcp_migrate_req} the ones not yet accepted, to the other). The shutdown
 * event and the pipeline are Vert.x internals ({@link VertxInternals}).
 *
 * <p>Vert.x's own graceful shutdown closes an idle HTTP/1.1 keep-alive connection at once and a busy one right
 * after its response, without saying {@code Connection: close}: a client that sends its next request at that
 * moment sees the connection close under it, and for a POST cannot know whether it ran. So the shutdown event
 * Vert.x sends each HTTP/1.x connection is intercepted here, and while draining:
 * <ul>
 *   <li>every response carries {@code Connection: close} and the connection closes after it (the request path
 *   asks {@link #lastOnConnection});</li>
 *   <li>a connection with nothing in flight is closed only once it has been idle for the keep-alive timeout the
 *   balancer advertises in every response ({@code Keep-Alive: timeout=N}), so a client that honours it has
 *   already stopped using it and none can have a request on its way;</li>
 *   <li>HTTP/2 connections get Vert.x's GOAWAY, which tells the client which streams were not processed.</li>
 * </ul>
 * What is still open at {@code shutdownTimeoutMs} is closed by Vert.x.
 */
public final class ConnectionDrain {

  private static final String HANDLER = "foobarDrain";
  private static final long SWEEP_MS = 100;
  private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

  private final Vertx vertx;
  private final ClientGuard guard;
  private final long keepAliveNanos;
  /** Read and written on this instance's event loop only. */
  private boolean draining;
  private long sweeper = -1;

  public ConnectionDrain(Vertx vertx, ClientGuard guard, int keepAliveTimeoutSeconds) {
    this.vertx = vertx;
    this.guard = guard;
    this.keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveTimeoutSeconds);
  }

  /** Swallows Vert.x's shutdown event on an HTTP/1.x connection: this class drains it instead. */
  public static void install(HttpConnection connection) {
    if (VertxInternals.isHttp1Server(connection)) {
      VertxInternals.addBeforeVertx(connection, HANDLER, SwallowShutdown.INSTANCE);
    }
  }

  boolean draining() {
    return draining;
  }

  /**
   * While draining, an HTTP/1.x response gets {@code Connection: close} and its connection closes after it
   * (returns true); HTTP/2 streams are left to the GOAWAY.
   */
  public boolean lastOnConnection(HttpServerRequest request) {
    if (!draining || request.version() == HttpVersion.HTTP_2) {
      return false;
    }
    request.response().headers().set(HttpHeaders.CONNECTION, CLOSE);
    return true;
  }

  /** Starts draining (on this instance's event loop); idle connections are closed as they pass the timeout. */
  public void start() {
    if (draining) {
      return;
    }
    draining = true;
    sweeper = vertx.setPeriodic(SWEEP_MS, id -> guard.forEachIdle(keepAliveNanos, HttpConnection::close));
  }

  public void stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
      sweeper = -1;
    }
  }

  /**
   * Only {@code userEventTriggered} is overridden, so Netty skips this handler for reads and writes: it costs
   * nothing on the forwarding path.
   */
  @ChannelHandler.Sharable
  private static final class SwallowShutdown extends ChannelInboundHandlerAdapter {
    static final SwallowShutdown INSTANCE = new SwallowShutdown();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (!VertxInternals.isShutdownEvent(event)) {
        ctx.fireUserEventTriggered(event);
      }
    }
  }
}
