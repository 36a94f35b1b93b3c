package com.foobar.platform.lb.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ShutdownEvent;

/**
 * The one place the balancer touches Vert.x internals ({@code io.vertx.core.*.impl}): the Netty channel under a
 * connection, the name of Vert.x's own handler in its pipeline, HTTP/1.x server connections and the shutdown event
 * Vert.x sends each of them. No public API gives these; {@code FlushBatching}, {@code ConnectionDrain} and the 408
 * of the request-head timer need them. {@code VertxInternalsTest} fails when a Vert.x upgrade changes any of
 * them, so an upgrade cannot silently turn flush batching, the drain or the 408 off.
 */
public final class VertxInternals {

  /** The name Vert.x gives its own handler in every connection's pipeline; ours go just before it. */
  static final String VERTX_HANDLER = "handler";

  private VertxInternals() {
  }

  /** The pipeline of the connection's Netty channel, or null when the connection is not one Vert.x built on Netty. */
  static ChannelPipeline pipeline(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel().pipeline() : null;
  }

  /**
   * Adds {@code handler} under {@code name} just before Vert.x's own handler, once; false when the pipeline has no
   * Vert.x handler (not a Vert.x connection, or already closed) or already has a handler of that name.
   */
  static boolean addBeforeVertx(HttpConnection connection, String name, ChannelHandler handler) {
    ChannelPipeline pipeline = pipeline(connection);
    if (pipeline == null || pipeline.get(VERTX_HANDLER) == null || pipeline.get(name) != null) {
      return false;
    }
    pipeline.addBefore(VERTX_HANDLER, name, handler);
    return true;
  }

  /** The TLS engine of the connection's channel (its Netty SslHandler's), or null on a plain connection. */
  static javax.net.ssl.SSLEngine sslEngine(HttpConnection connection) {
    ChannelPipeline pipeline = pipeline(connection);
    SslHandler ssl = pipeline == null ? null : pipeline.get(SslHandler.class);
    return ssl == null ? null : ssl.engine();
  }

  /** Whether this is a server connection speaking HTTP/1.x (not HTTP/2). */
  public static boolean isHttp1Server(HttpConnection connection) {
    return connection instanceof Http1xServerConnection;
  }

  /** Whether a pipeline event is the one Vert.x sends an HTTP/1.x connection when its server shuts down. */
  static boolean isShutdownEvent(Object event) {
    return event instanceof ShutdownEvent;
  }

  /**
   * Writes {@code message} (a Netty HTTP object) straight on the connection's channel and closes it: for an answer
   * to a request Vert.x never completed, which its API cannot answer.
   */
  public static void writeAndClose(HttpConnection connection, Object message) {
    Channel channel = ((ConnectionBase) connection).channel();
    channel.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
  }
}
