package com.foobar.platform.lb;

import com.foobar.platform.common.ErrorResponses;
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
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Forwards each request to a backend chosen by the pool, streaming bodies both ways, within the backend's slots.
 *
 * <p>A request whose connection to a backend cannot be made is retried on another backend (its body was never
 * read, so any method is safe to retry). A bodiless idempotent request that fails before the response headers
 * arrive is retried too. A request with a body that may have reached a backend is never replayed.
 * WebSocket upgrades go to {@link WebSocketTunnel}; every failure becomes a status in {@link ProxyErrors}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
    HttpMethod.PUT, HttpMethod.DELETE);

  private final Vertx vertx;
  private final HttpClient client;
  private final Balancer balancer;
  private final LoadBalancerOptions options;
  private final AccessLog accessLog;
  private final ClientGuard guard;
  private final WebSocketTunnel tunnel;

  /** The HTTPS listener's actual port, for redirects (-1 while TLS is off). */
  private final java.util.function.IntSupplier httpsPort;

  ProxyHandler(Vertx vertx, HttpClient client, Balancer balancer, ClientGuard guard,
               java.util.function.IntSupplier httpsPort) {
    this.vertx = vertx;
    this.httpsPort = httpsPort;
    this.client = client;
    this.balancer = balancer;
    this.options = balancer.options;
    this.accessLog = new AccessLog(options.getAccessLog());
    this.guard = guard;
    this.tunnel = new WebSocketTunnel(vertx, client, options);
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    Forward forward = new Forward(request);
    guard.requestStarted(request);
    HttpServerResponse response = request.response();
    response.putHeader(Forward.REQUEST_ID, forward.requestId);
    response.endHandler(v -> {
      guard.requestEnded(request);
      accessLog.log(forward);
      if (forward.closeAfterEnd) {
        request.connection().close();
      }
    });
    if (edge(forward)) {
      return;
    }
    long declared = declaredLength(request);
    if (declared > options.getMaxBodySize()) {
      failAndClose(forward, HttpStatusException.payloadTooLarge(options.getMaxBodySize()), "body_too_large");
      return;
    }
    forward(forward);
  }

  /**
   * The edge rules, before anything reaches a backend: HSTS on HTTPS, the address lists (403), the HTTPS
   * redirect (301) and the client's rate limit (429). True when the request was answered here.
   */
  private boolean edge(Forward forward) {
    HttpServerRequest request = forward.request;
    hsts(request);
    String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    HttpStatusException refused = balancer.firewall.checkAddress(ip);
    if (refused == null && !request.isSSL() && options.getTls().isRedirect() && httpsPort.getAsInt() > 0) {
      redirectToHttps(forward);
      return true;
    }
    if (refused == null) {
      refused = balancer.firewall.checkRate(ip, request.path());
    }
    if (refused == null) {
      return false;
    }
    String reason = refused.status() == 403 ? "forbidden_address" : "rate_limited";
    if (hasBody(request)) {
      failAndClose(forward, refused, reason);
    } else {
      fail(forward, refused, reason);
    }
    return true;
  }

  private void hsts(HttpServerRequest request) {
    if (request.isSSL() && !options.getTls().getHsts().isEmpty()) {
      request.response().headers().set("Strict-Transport-Security", options.getTls().getHsts());
    }
  }

  /** 301 to the same host and URI over HTTPS (the host without its port, then the HTTPS port unless 443). */
  private void redirectToHttps(Forward forward) {
    HttpServerRequest request = forward.request;
    int port = options.getTls().getRedirectPort() > 0 ? options.getTls().getRedirectPort() : httpsPort.getAsInt();
    String host = request.authority() == null ? options.getHost() : request.authority().host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    String location = "https://" + host + (port == 443 ? "" : ":" + port) + request.uri();
    balancer.metrics.rejected("https_redirect");
    if (hasBody(request)) {
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      forward.closeAfterEnd = true;
    }
    request.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, location)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new io.vertx.core.json.JsonObject().put("error", "https_required").put("location", location).encode());
  }

  private void forward(Forward forward) {
    Backend backend = balancer.pool.next(forward.tried);
    if (backend == null) {
      boolean first = forward.tried.isEmpty();
      fail(forward, first ? ProxyErrors.noBackend(options) : ProxyErrors.noOtherBackend(), first ? "no_backend" : null);
      return;
    }
    if (!forward.tried.isEmpty()) {
      balancer.metrics.retried(true);
    }
    forward.tried.add(backend);
    forward.backend = backend;
    backend.slots().acquire(vertx, options.getQueueTimeout()).onComplete(slot -> {
      if (slot.failed()) {
        BackendSlots.Rejected rejected = (BackendSlots.Rejected) slot.cause();
        fail(forward, ProxyErrors.queue(rejected, options), rejected.queueFull ? "queue_full" : "queue_timeout");
      } else if (forward.clientGone()) {
        backend.slots().release(vertx);
      } else {
        send(forward, backend);
      }
    });
  }

  private void send(Forward forward, Backend backend) {
    backend.requestStarted();
    HttpServerRequest request = forward.request;
    if (WebSocketTunnel.isUpgrade(request)) {
      tunnel.open(forward, backend, () -> guard.tunnelOpened(request)).onComplete(done -> {
        finished(backend, done.failed());
        if (done.failed() && !request.response().headWritten()) {
          fail(forward, ProxyErrors.classify(done.cause()), null);
        }
      });
      return;
    }
    client.request(requestOptions(forward, backend))
      .onFailure(failure -> connectFailed(forward, backend, failure))
      .onSuccess(backendRequest -> exchange(forward, backendRequest, backend));
  }

  private RequestOptions requestOptions(Forward forward, Backend backend) {
    HttpServerRequest request = forward.request;
    return new RequestOptions()
      .setServer(backend.address())
      .setHost(backend.address().host())
      .setPort(backend.address().port())
      .setMethod(request.method())
      .setURI(request.uri())
      .setHeaders(ForwardedHeaders.toBackend(request).set(Forward.REQUEST_ID, forward.requestId))
      .setConnectTimeout(options.getConnectTimeout())
      .setIdleTimeout(options.getBackendTimeout());
  }

  private void finished(Backend backend, boolean failed) {
    backend.requestEnded(failed);
    backend.slots().release(vertx);
  }

  private void connectFailed(Forward forward, Backend backend, Throwable failure) {
    finished(backend, true);
    if (backend.recordFailure("connection failed: " + failure.getMessage())) {
      LOG.warn("backend {} is DOWN: connection failed: {}", backend.name(), failure.getMessage());
    }
    retryOrFail(forward, failure);
  }

  private void exchange(Forward forward, HttpClientRequest backendRequest, Backend backend) {
    HttpServerRequest request = forward.request;
    if (request.authority() != null) {
      backendRequest.authority(request.authority());
    }
    request.response().closeHandler(closed -> backendRequest.reset());
    boolean hasBody = hasBody(request);
    Future<HttpClientResponse> sent = hasBody ? sendWithBody(forward, backendRequest) : backendRequest.send();
    sent.onComplete(done -> {
      if (done.succeeded()) {
        relay(forward, done.result(), backend);
        return;
      }
      finished(backend, true);
      if (forward.bodyTooLarge) {
        failAndClose(forward, HttpStatusException.payloadTooLarge(options.getMaxBodySize()), "body_too_large");
        return;
      }
      observe(backend, true, "exchange failed: " + done.cause().getMessage());
      if (!hasBody && IDEMPOTENT.contains(request.method()) && !request.response().headWritten()) {
        retryOrFail(forward, done.cause());
      } else {
        fail(forward, ProxyErrors.classify(done.cause()), null);
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
    return backendRequest.send(new BodyLimit(request, options.getMaxBodySize(), () -> {
      forward.bodyTooLarge = true;
      backendRequest.reset();
    }));
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !length.trim().equals("0")) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0; // Vert.x's decoder rejects a malformed Content-Length before we get here
    }
  }

  private void relay(Forward forward, HttpClientResponse backendResponse, Backend backend) {
    HttpServerRequest request = forward.request;
    int status = backendResponse.statusCode();
    forward.backendNanos = System.nanoTime() - forward.startNanos;
    balancer.metrics.responded(backend, status, forward.backendNanos);
    observe(backend, status >= 500, "answered " + status);
    HttpServerResponse response = request.response();
    response.setStatusCode(status).setStatusMessage(backendResponse.statusMessage());
    response.headers().addAll(ForwardedHeaders.withoutHopByHop(backendResponse.headers()));
    response.headers().set(Forward.REQUEST_ID, forward.requestId);
    hsts(request);
    if (backendResponse.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.method() != HttpMethod.HEAD
      && status != 204 && status != 304) {
      response.setChunked(true);
    }
    response.send(backendResponse).onComplete(done -> finished(backend, done.failed()));
  }

  private void observe(Backend backend, boolean error, String what) {
    if (backend.observe(error, what)) {
      LOG.warn("backend {} is DOWN: {}", backend.name(), backend.lastError());
    }
  }

  private void retryOrFail(Forward forward, Throwable failure) {
    if (forward.tried.size() <= options.getRetries() && !forward.clientGone()
      && balancer.pool.hasCandidate(forward.tried)) {
      forward(forward);
    } else {
      fail(forward, ProxyErrors.classify(failure), null);
    }
  }

  private void fail(Forward forward, HttpStatusException error, String rejectedReason) {
    if (rejectedReason != null) {
      balancer.metrics.rejected(rejectedReason);
    }
    forward.request.resume();
    ErrorResponses.send(forward.request.response(), error);
  }

  /** For a body we will not read: answer, then close so the unread bytes are not parsed as a next request. */
  private void failAndClose(Forward forward, HttpStatusException error, String rejectedReason) {
    forward.request.response().putHeader(HttpHeaders.CONNECTION, "close");
    forward.closeAfterEnd = true;
    balancer.metrics.rejected(rejectedReason);
    ErrorResponses.send(forward.request.response(), error);
  }
}
