package com.foobar.platform.lb.edge;

import com.foobar.platform.testing.Await;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the balancer relies on in Vert.x's internals ({@link VertxInternals}), checked against the Vert.x on the
 * class path: if an upgrade renames Vert.x's pipeline handler, stops sending HTTP/1.x connections a shutdown event,
 * or changes what a connection is, this fails here, loudly, instead of flush batching, the drain or the 408
 * silently doing nothing.
 */
class VertxInternalsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  /**
   * A server like the balancer's public one (no cleartext HTTP/2 detection, so a connection exists at accept)
   * whose connections are handed to {@code accepted}; it answers every request 200.
   */
  private HttpServer server(java.util.function.Consumer<HttpConnection> accepted) {
    return Await.result(vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
      .connectionHandler(accepted::accept)
      .requestHandler(request -> request.response().end("ok")).listen(0, "127.0.0.1"));
  }

  @Test
  void aServerConnectionIsHttp1OnNettyWithVertxsHandlerWhereOursGo() throws Exception {
    CompletableFuture<ChannelPipeline> pipeline = new CompletableFuture<>();
    HttpServer server = server(connection -> {
      assertThat(VertxInternals.isHttp1Server(connection)).as("an HTTP/1.1 server connection").isTrue();
      FlushBatching.install(connection);
      ConnectionDrain.install(connection);
      pipeline.complete(VertxInternals.pipeline(connection));
    });
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      ChannelPipeline channels = pipeline.get(10, TimeUnit.SECONDS);
      assertThat(channels).as("the connection's Netty pipeline").isNotNull();
      assertThat(channels.names()).as("Vert.x's own handler is named '%s'", VertxInternals.VERTX_HANDLER)
        .contains(VertxInternals.VERTX_HANDLER);
      int vertxAt = channels.names().indexOf(VertxInternals.VERTX_HANDLER);
      assertThat(channels.names().indexOf("flushBatching")).isBetween(0, vertxAt - 1);
      assertThat(channels.get("flushBatching")).isInstanceOf(FlushConsolidationHandler.class);
      assertThat(channels.names().indexOf("foobarDrain")).isBetween(0, vertxAt - 1);
    }
  }

  @Test
  void aClientConnectionTakesFlushBatchingToo() {
    HttpServer server = server(connection -> { });
    AtomicBoolean installed = new AtomicBoolean();
    HttpClient client = vertx.httpClientBuilder().withConnectHandler(connection -> {
      FlushBatching.install(connection);
      ChannelPipeline channels = VertxInternals.pipeline(connection);
      installed.set(channels != null && channels.get("flushBatching") instanceof FlushConsolidationHandler);
    }).build();
    int status = Await.result(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
      .compose(request -> request.send()).map(response -> response.statusCode()));
    assertThat(status).isEqualTo(200);
    assertThat(installed).as("flush batching sits in a backend connection's pipeline").isTrue();
  }

  @Test
  void aShuttingDownServerSendsEachHttp1ConnectionTheShutdownEvent() throws Exception {
    AtomicBoolean seen = new AtomicBoolean();
    HttpServer server = server(connection -> VertxInternals.addBeforeVertx(connection, "probe",
      new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
          seen.compareAndSet(false, VertxInternals.isShutdownEvent(event));
          ctx.fireUserEventTriggered(event);
        }
      }));
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getInputStream().readNBytes(12); // the response began: the connection is a kept-alive one now
      server.shutdown(2, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).untilTrue(seen);
    }
  }

  @Test
  void aRawAnswerIsWrittenOnTheChannelAndTheConnectionClosed() throws Exception {
    HttpServer server = server(connection -> {
      DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.US_ASCII)));
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
      VertxInternals.writeAndClose(connection, response);
    });
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 408 ").endsWith("\r\n\r\n{}");
    }
  }
}
