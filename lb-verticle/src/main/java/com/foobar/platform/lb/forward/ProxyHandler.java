package com.foobar.platform.lb;

import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
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
import java.util.concurrent.TimeUnit;

/**
 * Forwards each request to a backend chosen by the pool, streaming bodies both ways, within the backend's slots.
 *
 * <p>A request whose connection to a backend cannot be made is retried on another backend (its body was never
 * read, so any method is safe to retry). A bodiless idempotent request that fails before the response headers
 * arrive is retried too, and so is a request with an {@code Idempotency-Key} whose small body was kept for it
 * ({@link KeyedReplay}): the application server runs such a request at most once. Any other request with a body
 * that may have reached a backend is never replayed. Every ending is classified ({@link Termination}); only
 * server-caused ones count against the backend ({@link PassiveHealth}). WebSocket upgrades go to
 * {@link WebSocketTunnel}; every failure becomes a status in {@link ProxyErrors}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
    HttpMethod.PUT, HttpMethod.DELETE);

  private final Vertx vertx;
  private final HttpClient client;
  private final Balancer balancer;
  private final AccessLog accessLog;
  private final ClientGuard guard;
  private final WebSocketTunnel tunnel;
  private final BackendTimeouts timeouts;
  private final Replies replies;
  private final EdgeRules edge;
  private final ConnectionDrain drain;
  private final PassiveHealth passive;
  private final CharSequence keepAlive;
  private final long clientIdleNanos;

  ProxyHandler(Vertx vertx, HttpClient client, Balancer balancer, ClientGuard guard, ConnectionDrain drain,
               java.util.function.IntSupplier httpsPort) {
    LoadBalancerOptions options = balancer.options();
    this.vertx = vertx;
    this.client = client;
    this.balancer = balancer;
    this.accessLog = new AccessLog(options.getAccessLog());
    this.guard = guard;
    this.drain = drain;
    this.tunnel = new WebSocketTunnel(vertx, client, options);
    this.timeouts = new BackendTimeouts(vertx, options.getBackendTimeout());
    this.replies = new Replies(balancer.metrics);
    this.edge = new EdgeRules(balancer, replies, httpsPort);
    this.passive = new PassiveHealth(balancer.pool);
    this.keepAlive = HttpHeaders.createOptimized("timeout=" + options.getKeepAliveTimeoutSeconds());
    this.clientIdleNanos = TimeUnit.MILLISECONDS.toNanos(options.getClientIdleTimeout());
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    Forward forward = new Forward(request);
    guard.requestStarted(request);
    HttpServerResponse response = request.response();
    response.putHeader(Forward.REQUEST_ID, forward.requestId);
    forward.closeAfterEnd = drain.lastOnConnection(request); // while handing over: the next request goes elsewhere
    response.endHandler(v -> completed(forward));
    if (edge.answered(forward)) {
      return;
    }
    long maxBody = balancer.options().getMaxBodySize();
    long declared = Replies.declaredLength(request);
    if (declared > maxBody) {
      replies.failAndClose(forward, HttpStatusException.payloadTooLarge(maxBody), "body_too_large");
    } else if (KeyedReplay.applies(request, declared)) {
      KeyedReplay.read(forward).onComplete(read -> forwardUnlessGone(forward));
    } else {
      forward(forward);
    }
  }

  private void forwardUnlessGone(Forward forward) {
    if (!forward.clientGone()) {
      forward(forward);
    }
  }

  /** The response ended (or the client went away first): classified, counted, logged. */
  private void completed(Forward forward) {
    HttpServerRequest request = forward.request;
    guard.requestEnded(request);
    HttpServerResponse response = request.response();
    long elapsed = System.nanoTime() - forward.startNanos;
    balancer.metrics.frontendResponded(response.ended() ? response.getStatusCode() : 0, elapsed);
    Termination termination = Termination.atEnd(forward.termination, response.ended(), response.headWritten(),
      elapsed, clientIdleNanos);
    balancer.metrics.terminated(termination);
    accessLog.log(forward, termination);
    if (forward.closeAfterEnd) {
      Replies.lingeringClose(vertx, request);
    }
  }

  private void forward(Forward forward) {
    LoadBalancerOptions options = balancer.options();
    Backend backend = balancer.pool.next(forward.tried);
    if (backend == null) {
      boolean first = forward.tried.isEmpty();
      replies.fail(forward, first ? ProxyErrors.noBackend(options) : ProxyErrors.noOtherBackend(),
        first ? "no_backend" : null);
      return;
    }
    if (!forward.tried.isEmpty()) {
      balancer.metrics.retried(true);
    }
    forward.tried.add(backend);
    forward.backend = backend;
    if (backend.slots().tryAcquire()) { // the usual case: no future, no listener
      slotAcquired(forward, backend);
      return;
    }
    backend.slots().acquire(vertx, options.getQueueTimeout()).onComplete(slot -> {
      if (slot.failed()) {
        BackendSlots.Rejected rejected = (BackendSlots.Rejected) slot.cause();
        replies.fail(forward, ProxyErrors.queue(rejected, options), rejected.queueFull ? "queue_full" : "queue_timeout");
      } else {
        slotAcquired(forward, backend);
      }
    });
  }

  private void slotAcquired(Forward forward, Backend backend) {
    forward.holdsSlot = true;
    if (forward.clientGone()) {
      forward.holdsSlot = false;
      backend.slots().release(vertx);
    } else {
      send(forward, backend);
    }
  }

  private void send(Forward forward, Backend backend) {
    backend.requestStarted();
    HttpServerRequest request = forward.request;
    if (WebSocketTunnel.isUpgrade(request)) {
      tunnel.open(forward, backend, () -> guard.tunnelOpened(request)).onComplete(done -> {
        finished(forward, done.failed());
        if (done.failed() && !request.response().headWritten()) {
          replies.fail(forward, ProxyErrors.classify(done.cause()), null);
        }
      });
      return;
    }
    client.request(requestOptions(request, backend)).onComplete(connected -> {
      if (connected.succeeded()) {
        exchange(forward, connected.result(), backend);
      } else {
        connectFailed(forward, backend, connected.cause());
      }
    });
  }

  private RequestOptions requestOptions(HttpServerRequest request, Backend backend) {
    return new RequestOptions()
      .setServer(backend.address())
      .setHost(backend.address().host())
      .setPort(backend.address().port())
      .setMethod(request.method())
      .setURI(request.uri())
      .setConnectTimeout(balancer.options().getConnectTimeout());
  }

  /** The attempt on {@code forward.backend} is over: its slot goes back, once. */
  private void finished(Forward forward, boolean failed) {
    timeouts.unwatch(forward);
    if (forward.holdsSlot) {
      forward.holdsSlot = false;
      forward.backend.requestEnded(failed);
      forward.backend.slots().release(vertx);
    }
  }

  private void connectFailed(Forward forward, Backend backend, Throwable failure) {
    finished(forward, true);
    forward.termination = Termination.SERVER_REFUSED;
    passive.connectFailed(backend, failure);
    retryOrFail(forward, failure);
  }

  private void exchange(Forward forward, HttpClientRequest backendRequest, Backend backend) {
    HttpServerRequest request = forward.request;
    // Failures arrive through the response future; without a handler Vert.x would also log each one as an error.
    backendRequest.exceptionHandler(ignored -> { });
    ForwardedHeaders.toBackend(request, backendRequest.headers());
    backendRequest.putHeader(Forward.REQUEST_ID, forward.requestId);
    if (request.authority() != null) {
      backendRequest.authority(request.authority());
    }
    request.response().closeHandler(closed -> {
      forward.clientClosed = true; // before the reset, whose failure is then known to be the client's doing
      backendRequest.reset();
      finished(forward, false);
    });
    boolean hasBody = forward.replayBody != null || Replies.hasBody(request);
    timeouts.watch(forward, backendRequest);
    Future<HttpClientResponse> sent = forward.replayBody != null ? KeyedReplay.send(forward, backendRequest)
      : hasBody ? sendWithBody(forward, backendRequest) : backendRequest.send();
    sent.onComplete(done -> {
      if (done.succeeded()) {
        relay(forward, done.result(), backend);
        return;
      }
      finished(forward, true);
      if (forward.clientClosed) {
        return; // the client left: nothing to answer, nothing against the server
      }
      if (forward.bodyTooLarge) {
        long maxBody = balancer.options().getMaxBodySize();
        replies.failAndClose(forward, HttpStatusException.payloadTooLarge(maxBody), "body_too_large");
        return;
      }
      forward.termination = ProxyErrors.termination(done.cause());
      passive.failed(backend, "exchange failed: " + done.cause().getMessage());
      boolean replayable = forward.replayBody != null || (!hasBody && IDEMPOTENT.contains(request.method()));
      if (replayable && !request.response().headWritten()) {
        retryOrFail(forward, done.cause());
      } else {
        replies.fail(forward, ProxyErrors.classify(done.cause()), null);
      }
    });
  }

  private Future<HttpClientResponse> sendWithBody(Forward forward, HttpClientRequest backendRequest) {
    HttpServerRequest request = forward.request;
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      backendRequest.putHeader(HttpHeaders.CONTENT_LENGTH, length);
      return backendRequest.send(request);
    }
    return backendRequest.send(new BodyLimit(request, balancer.options().getMaxBodySize(), () -> {
      forward.bodyTooLarge = true;
      backendRequest.reset();
    }));
  }

  private void relay(Forward forward, HttpClientResponse backendResponse, Backend backend) {
    HttpServerRequest request = forward.request;
    int status = backendResponse.statusCode();
    forward.backendNanos = System.nanoTime() - forward.startNanos;
    BackendTimeouts.activity(forward);
    balancer.metrics.responded(backend, status, forward.backendNanos);
    forward.termination = status < 500 ? Termination.COMPLETED
      : Termination.ofAnswer(status, backendResponse.getHeader(HttpHeaders.RETRY_AFTER) != null);
    passive.answered(backend, forward.termination, status);
    HttpServerResponse response = request.response();
    response.setStatusCode(status).setStatusMessage(backendResponse.statusMessage());
    ForwardedHeaders.copyWithoutHopByHop(backendResponse.headers(), response.headers());
    response.headers().set(Forward.REQUEST_ID, forward.requestId);
    if (!forward.closeAfterEnd && drain.lastOnConnection(request)) { // began before the drain, still the last one
      forward.closeAfterEnd = true;
    } else if (!forward.closeAfterEnd && request.version() == HttpVersion.HTTP_1_1) {
      // Clients that honour it stop using an idle connection before the balancer may close it (ConnectionDrain).
      response.headers().set(HttpHeaders.KEEP_ALIVE, keepAlive);
    }
    edge.hsts(request);
    if (backendResponse.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.method() != HttpMethod.HEAD
      && status != 204 && status != 304) {
      response.setChunked(true);
    }
    ResponseRelay.relay(forward, backendResponse, response).onComplete(done -> {
      boolean serverBroke = done.failed() && forward.termination == Termination.SERVER_BROKE_BODY;
      finished(forward, serverBroke);
      if (serverBroke) {
        passive.failed(backend, "response body broke off: " + done.cause().getMessage());
      }
    });
  }

  private void retryOrFail(Forward forward, Throwable failure) {
    if (forward.tried.size() <= balancer.options().getRetries() && !forward.clientGone()
      && balancer.pool.hasCandidate(forward.tried)) {
      forward(forward);
    } else {
      replies.fail(forward, ProxyErrors.classify(failure), null);
    }
  }
}
