package com.foobar.platform.lb.edge;

import com.foobar.platform.lb.LbError;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;

/**
 * Answers a request line with an HTTP version the balancer does not speak ({@code GET / HTTP/9.9}, a cleartext
 * {@code HTTP/2.0}) with {@code HTTP/1.1 505 HTTP Version Not Supported}, a JSON body, and a close (RFC 9110
 * 15.6.6). Vert.x itself answers these with a bare 501 written in the client's own version ({@code HTTP/9.9 501}),
 * which no client can read, before any request handler sees them; so this sits on the Netty channel just before
 * Vert.x's handler ({@link VertxInternals}) and drops whatever else the connection sends.
 */
public final class HttpVersionCheck extends ChannelInboundHandlerAdapter {

  private final Runnable onRefused;
  private boolean refused;

  private HttpVersionCheck(Runnable onRefused) {
    this.onRefused = onRefused;
  }

  /** Installs the check on an HTTP/1.x connection; {@code onRefused} counts each refusal. */
  public static void install(HttpConnection connection, Runnable onRefused) {
    if (VertxInternals.isHttp1Server(connection)) {
      VertxInternals.addBeforeVertx(connection, "httpVersionCheck", new HttpVersionCheck(onRefused));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (refused) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (message instanceof HttpRequest request && request.decoderResult().isSuccess()
      && !spoken(request.protocolVersion())) {
      refused = true;
      ReferenceCountUtil.release(message);
      onRefused.run();
      ctx.writeAndFlush(RawAnswer.of(LbError.HTTP_VERSION_NOT_SUPPORTED.error("HTTP version "
          + request.protocolVersion().text() + " is not supported: use HTTP/1.1 (or HTTP/2 over TLS)")))
        .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(message);
  }

  private static boolean spoken(HttpVersion version) {
    return version.majorVersion() == 1 && (version.minorVersion() == 0 || version.minorVersion() == 1);
  }
}
