package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.backend.Backend;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;

/**
 * WebSocket pass-through: the upgrade request goes to the backend with its handshake headers; when the backend
 * answers 101 the client gets that answer (Sec-WebSocket-Accept included) and both connections become a raw
 * byte tunnel, closed together when either side closes or nothing flows either way for {@code tunnelTimeoutMs}
 * (HAProxy's {@code timeout tunnel}). A backend that refuses the upgrade has its answer relayed as is.
 */
record WebSocketTunnel(Vertx vertx, HttpClient client, LoadBalancerOptions options) {

  static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  /** Completes when the tunnel closes; fails when no tunnel could be opened (nothing sent to the client yet). */
  Future<Void> open(Forward forward, Backend backend, Runnable onOpened) {
    HttpServerRequest request = forward.request();
    RequestOptions requestOptions = new RequestOptions()
      .setServer(backend.address()).setHost(backend.address().host()).setPort(backend.address().port())
      .setMethod(request.method()).setURI(request.uri())
      .setConnectTimeout(options.connectTimeoutMs())
      .setTimeout(options.backendTimeoutMs());
    return client.request(requestOptions)
      .compose(backendRequest -> {
        MultiMap headers = backendRequest.headers();
        ForwardedHeaders.toBackend(request, headers);
        headers.set(Forward.REQUEST_ID, forward.requestId())
          .set(HttpHeaders.UPGRADE, request.getHeader(HttpHeaders.UPGRADE)).set(HttpHeaders.CONNECTION, "Upgrade");
        return backendRequest.connect();
      })
      .compose(backendResponse -> backendResponse.statusCode() == 101
        ? tunnel(request, backendResponse, onOpened)
        : refused(request, backendResponse));
  }

  private Future<Void> tunnel(HttpServerRequest request, HttpClientResponse backendResponse, Runnable onOpened) {
    NetSocket backendSocket = backendResponse.netSocket();
    HttpServerResponse response = request.response();
    response.headers().addAll(backendResponse.headers());
    return request.toNetSocket()
      .onFailure(failure -> backendSocket.close())
      .compose(clientSocket -> {
        onOpened.run();
        return pipe(clientSocket, backendSocket);
      });
  }

  private Future<Void> pipe(NetSocket clientSocket, NetSocket backendSocket) {
    Promise<Void> closed = Promise.promise();
    long[] lastActivity = {System.nanoTime()};
    long timeoutNanos = options.tunnelTimeoutMs() * 1_000_000L;
    long timer = vertx.setPeriodic(Math.max(10, options.tunnelTimeoutMs() / 4), id -> {
      if (System.nanoTime() - lastActivity[0] > timeoutNanos) {
        clientSocket.close();
        backendSocket.close();
      }
    });
    clientSocket.handler(buffer -> {
      lastActivity[0] = System.nanoTime();
      backendSocket.write(buffer);
      flowControl(clientSocket, backendSocket);
    });
    backendSocket.handler(buffer -> {
      lastActivity[0] = System.nanoTime();
      clientSocket.write(buffer);
      flowControl(backendSocket, clientSocket);
    });
    clientSocket.closeHandler(v -> backendSocket.close());
    backendSocket.closeHandler(v -> {
      clientSocket.close();
      vertx.cancelTimer(timer);
      closed.tryComplete();
    });
    clientSocket.resume();
    backendSocket.resume();
    return closed.future();
  }

  /** Back-pressure: stop reading one side while the other side's write queue is full. */
  private static void flowControl(NetSocket from, NetSocket to) {
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  private Future<Void> refused(HttpServerRequest request, HttpClientResponse backendResponse) {
    HttpServerResponse response = request.response();
    response.setStatusCode(backendResponse.statusCode());
    ForwardedHeaders.copyWithoutHopByHop(backendResponse.headers(), response.headers());
    request.resume();
    return backendResponse.body().compose(body -> response.end(body));
  }
}
