package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.backend.PassiveHealth;
import com.foobar.platform.lb.edge.ConnectionDrain;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.util.Set;

/**
 * One attempt of a request on one backend, within the slot the request holds there: connect, send the head and
 * stream the body (a chunked one held to maxBodySize, {@link BodyLimit}; a kept keyed one sent again,
 * {@link KeyedReplay}), watched by {@code backendTimeoutMs} ({@link BackendTimeouts}); then the response head
 * and its body streamed back ({@link ResponseRelay}). The slot goes back exactly once, and only server-caused
 * endings count against the backend ({@link PassiveHealth}). Fails, when no response was relayed, with
 * {@link Retryable} if the request may go to another backend. One per verticle instance (its event loop).
 */
final class Exchange {

  /** A failed attempt whose request may be sent to another backend: it never left, or may be replayed. */
  static final class Retryable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Retryable(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
    HttpMethod.PUT, HttpMethod.DELETE);

  private final ForwardingLoop loop;
  private final HttpClient client;
  private final PassiveHealth passive;
  private final BackendTimeouts timeouts;
  private final CharSequence keepAlive;

  Exchange(ForwardingLoop loop, HttpClient client, PassiveHealth passive) {
    LoadBalancerOptions started = loop.now();
    this.loop = loop;
    this.client = client;
    this.passive = passive;
    this.timeouts = new BackendTimeouts(loop.vertx(), started.backendTimeoutMs());
    this.keepAlive = HttpHeaders.createOptimized("timeout=" + started.keepAliveTimeoutSeconds());
  }

  /** Connects, sends and relays; fails when nothing was relayed. */
  Future<Void> run(Forward forward, Backend backend) {
    return client.request(requestOptions(forward.request(), backend))
      .transform(connected -> connected.succeeded() ? send(forward, connected.result(), backend)
        : connectFailed(forward, backend, connected.cause()));
  }

  private RequestOptions requestOptions(HttpServerRequest request, Backend backend) {
    return new RequestOptions()
      .setServer(backend.address())
      .setHost(backend.address().host())
      .setPort(backend.address().port())
      .setMethod(request.method())
      .setURI(request.uri())
      .setConnectTimeout(loop.now().connectTimeoutMs());
  }

  /** No connection: the request never left, so it may go elsewhere whatever its method. */
  private Future<Void> connectFailed(Forward forward, Backend backend, Throwable failure) {
    finished(forward, true);
    forward.terminated(Termination.SERVER_REFUSED);
    passive.connectFailed(backend, failure);
    return Future.failedFuture(new Retryable(failure));
  }

  private Future<Void> send(Forward forward, HttpClientRequest backendRequest, Backend backend) {
    HttpServerRequest request = forward.request();
    // Failures arrive through the response future; without a handler Vert.x would also log each one as an error.
    backendRequest.exceptionHandler(ignored -> { });
    ForwardedHeaders.toBackend(request, backendRequest.headers());
    backendRequest.putHeader(Forward.REQUEST_ID, forward.requestId());
    if (request.authority() != null) {
      backendRequest.authority(request.authority());
    }
    request.response().closeHandler(closed -> {
      forward.clientClosed(); // before the reset, whose failure is then known to be the client's doing
      backendRequest.reset();
      finished(forward, false);
    });
    boolean hasBody = forward.replayBody() != null || ContentLength.announcesBody(request.headers());
    timeouts.watch(forward, backendRequest);
    Future<HttpClientResponse> sent = forward.replayBody() != null ? KeyedReplay.send(forward, backendRequest)
      : hasBody ? sendBody(forward, backendRequest) : backendRequest.send();
    return sent.transform(answered -> answered.succeeded() ? relay(forward, answered.result(), backend)
      : exchangeFailed(forward, backend, answered.cause(), hasBody));
  }

  /** A declared body streams as it is; a chunked one is counted against maxBodySize on its way. */
  private Future<HttpClientResponse> sendBody(Forward forward, HttpClientRequest backendRequest) {
    HttpServerRequest request = forward.request();
    long length = ContentLength.of(request.headers());
    if (length != ContentLength.NONE) {
      backendRequest.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
      return backendRequest.send(request);
    }
    return backendRequest.send(new BodyLimit(request, loop.now().maxBodySize(), () -> {
      forward.bodyGrewTooLarge();
      backendRequest.reset();
    }));
  }

  /** The exchange broke before the response head: may it go to another backend? */
  private Future<Void> exchangeFailed(Forward forward, Backend backend, Throwable failure, boolean hasBody) {
    finished(forward, true);
    if (forward.clientHasClosed() || forward.bodyTooLarge()) {
      return Future.failedFuture(failure); // the client's doing, or our limit: nothing against the server
    }
    forward.terminated(ProxyErrors.termination(failure));
    passive.failed(backend, "exchange failed: " + failure.getMessage());
    boolean replayable = forward.replayBody() != null
      || (!hasBody && IDEMPOTENT.contains(forward.request().method()));
    return Future.failedFuture(replayable && !forward.request().response().headWritten()
      ? new Retryable(failure) : failure);
  }

  /** The response head arrived: counted, judged, written with our headers; its body streams back. */
  private Future<Void> relay(Forward forward, HttpClientResponse backendResponse, Backend backend) {
    int status = backendResponse.statusCode();
    forward.backendAnswered();
    forward.backendActive();
    loop.metrics().responded(backend, status, forward.backendNanos());
    Termination answer = Termination.ofAnswer(status, backendResponse.getHeader(HttpHeaders.RETRY_AFTER) != null);
    forward.terminated(answer);
    if (answer.serverFault()) {
      passive.failed(backend, "answered " + status);
    } else if (answer == Termination.COMPLETED) {
      passive.succeeded(backend);
    }
    writeHead(forward, backendResponse);
    ResponseRelay.relay(forward, backendResponse, forward.request().response()).onComplete(done -> {
      boolean serverBroke = done.failed() && forward.termination() == Termination.SERVER_BROKE_BODY;
      finished(forward, serverBroke);
      if (serverBroke) {
        passive.failed(backend, "response body broke off: " + done.cause().getMessage());
      }
    });
    return Future.succeededFuture();
  }

  private void writeHead(Forward forward, HttpClientResponse backendResponse) {
    HttpServerRequest request = forward.request();
    HttpServerResponse response = request.response();
    int status = backendResponse.statusCode();
    response.setStatusCode(status).setStatusMessage(backendResponse.statusMessage());
    ForwardedHeaders.copyWithoutHopByHop(backendResponse.headers(), response.headers());
    response.headers().set(Forward.REQUEST_ID, forward.requestId());
    // Began before the drain, and still the last one on its connection.
    if (!forward.closesAfterEnd() && loop.drain().lastOnConnection(request)) {
      forward.closeAfterEnd();
    } else if (!forward.closesAfterEnd() && request.version() == HttpVersion.HTTP_1_1) {
      // Clients that honour it stop using an idle connection before the balancer may close it (ConnectionDrain).
      response.headers().set(HttpHeaders.KEEP_ALIVE, keepAlive);
    }
    loop.edge().hsts(request);
    if (ContentLength.of(backendResponse.headers()) == ContentLength.NONE && request.method() != HttpMethod.HEAD
      && status != 204 && status != 304) {
      response.setChunked(true);
    }
  }

  /** The attempt is over: no longer watched, its slot back, once. */
  private void finished(Forward forward, boolean failed) {
    timeouts.unwatch(forward);
    forward.releaseSlot(loop.vertx(), failed);
  }
}
