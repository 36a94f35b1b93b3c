package com.foobar.platform.lb;

import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Forwards each request to a backend chosen round robin, streaming bodies both ways.
 *
 * <p>A request whose connection to a backend cannot be made is retried on another backend (its body was never
 * read, so any method is safe to retry). A bodiless idempotent request that fails before the response headers
 * arrive is retried too. A request with a body that may have reached a backend is never replayed.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
    HttpMethod.PUT, HttpMethod.DELETE);

  private final HttpClient client;
  private final BackendPool pool;
  private final LoadBalancerOptions options;
  private final Counter retries;

  ProxyHandler(HttpClient client, BackendPool pool, LoadBalancerOptions options, MeterRegistry registry) {
    this.client = client;
    this.pool = pool;
    this.options = options;
    this.retries = Counter.builder("foobar_lb_retries")
      .description("Requests sent again to another backend after a failed attempt").register(registry);
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    forward(request, new HashSet<>());
  }

  private void forward(HttpServerRequest request, Set<Backend> tried) {
    Backend backend = pool.next(tried);
    if (backend == null) {
      fail(request, tried.isEmpty()
        ? HttpStatusException.unavailable("no_backend", "no application server is available",
          options.getRetryAfterSeconds(), null)
        : new HttpStatusException(502, "bad_gateway", "no application server could take the request"));
      return;
    }
    tried.add(backend);
    backend.requestStarted();
    client.request(requestOptions(request, backend))
      .onFailure(failure -> connectFailed(request, tried, backend, failure))
      .onSuccess(backendRequest -> exchange(request, backendRequest, tried, backend));
  }

  private RequestOptions requestOptions(HttpServerRequest request, Backend backend) {
    return new RequestOptions()
      .setServer(backend.address())
      .setHost(backend.address().host())
      .setPort(backend.address().port())
      .setMethod(request.method())
      .setURI(request.uri())
      .setHeaders(ForwardedHeaders.toBackend(request))
      .setConnectTimeout(options.getConnectTimeout())
      .setIdleTimeout(options.getBackendTimeout());
  }

  private void connectFailed(HttpServerRequest request, Set<Backend> tried, Backend backend, Throwable failure) {
    backend.requestEnded(true);
    if (backend.recordFailure("connection failed: " + failure.getMessage())) {
      LOG.warn("backend {} is DOWN: connection failed: {}", backend.name(), failure.getMessage());
    }
    retryOrFail(request, tried, failure);
  }

  private void exchange(HttpServerRequest request, HttpClientRequest backendRequest, Set<Backend> tried,
                        Backend backend) {
    if (request.authority() != null) {
      backendRequest.authority(request.authority());
    }
    request.response().closeHandler(closed -> backendRequest.reset());
    boolean hasBody = hasBody(request);
    Future<HttpClientResponse> sent = hasBody ? sendWithBody(request, backendRequest) : backendRequest.send();
    sent.onComplete(done -> {
      if (done.succeeded()) {
        relay(request, done.result(), backend);
        return;
      }
      backend.requestEnded(true);
      if (!hasBody && IDEMPOTENT.contains(request.method()) && !request.response().headWritten()) {
        retryOrFail(request, tried, done.cause());
      } else {
        fail(request, classify(done.cause()));
      }
    });
  }

  private static Future<HttpClientResponse> sendWithBody(HttpServerRequest request, HttpClientRequest backendRequest) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      backendRequest.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    }
    return backendRequest.send(request);
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !length.trim().equals("0")) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private void relay(HttpServerRequest request, HttpClientResponse backendResponse, Backend backend) {
    HttpServerResponse response = request.response();
    response.setStatusCode(backendResponse.statusCode()).setStatusMessage(backendResponse.statusMessage());
    response.headers().addAll(ForwardedHeaders.withoutHopByHop(backendResponse.headers()));
    if (backendResponse.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.method() != HttpMethod.HEAD
      && backendResponse.statusCode() != 204 && backendResponse.statusCode() != 304) {
      response.setChunked(true);
    }
    response.send(backendResponse)
      .onComplete(done -> backend.requestEnded(done.failed()));
  }

  private void retryOrFail(HttpServerRequest request, Set<Backend> tried, Throwable failure) {
    if (tried.size() <= options.getRetries() && pool.next(tried) != null) {
      retries.increment();
      forward(request, tried);
    } else {
      fail(request, classify(failure));
    }
  }

  /** The one place where forwarding failures become statuses. */
  private static HttpStatusException classify(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return new HttpStatusException(504, "gateway_timeout", "the application server did not answer in time");
    }
    if (failure instanceof ConnectException) {
      return new HttpStatusException(502, "bad_gateway", "the application server could not be reached");
    }
    if (failure instanceof StreamResetException) {
      return new HttpStatusException(502, "bad_gateway", "the application server reset the request");
    }
    return new HttpStatusException(502, "bad_gateway", "the application server failed to answer");
  }

  private static void fail(HttpServerRequest request, HttpStatusException error) {
    request.resume();
    ErrorResponses.send(request.response(), error);
  }
}
