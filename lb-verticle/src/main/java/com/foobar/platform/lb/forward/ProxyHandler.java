package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.backend.BackendSlots;
import com.foobar.platform.lb.backend.PassiveHealth;
import com.foobar.platform.lb.balance.BackendChoice;
import com.foobar.platform.lb.edge.ClientGuard;
import com.foobar.platform.lb.edge.ConnectionDrain;
import com.foobar.platform.lb.edge.EdgeRules;
import com.foobar.platform.lb.edge.Refusal;
import com.foobar.platform.lb.metrics.LbMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client request's path through the balancer, in the order it happens:
 * <ol>
 *   <li>{@link #handle}: it arrives, is named ({@code X-Request-Id}) and watched to its end; the edge may turn it
 *   away (firewall, HTTPS redirect) and so may its declared size; a keyed small body is read for replay;</li>
 *   <li>{@link #attempt}: the next backend ({@link BackendChoice}) and a slot on it, at once or after queueing;</li>
 *   <li>{@link #slotTaken}: the exchange with that backend ({@link Exchange}) or a WebSocket tunnel;</li>
 *   <li>{@link #attemptFailed}: a failed attempt goes to another backend when it may be retried, else its
 *   status ({@link ProxyErrors});</li>
 *   <li>{@link #completed}: the response ended or the client left: classified ({@link Termination}), counted,
 *   logged.</li>
 * </ol>
 * A request whose connection to a backend cannot be made is retried on another backend (its body was never read,
 * so any method is safe to retry); a bodiless idempotent request that fails before the response head, and a keyed
 * one whose body was kept ({@link KeyedReplay}), are retried too. Any other request with a body that may have
 * reached a backend is never replayed.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private final ForwardingLoop loop;
  private final BackendChoice choice;
  private final ClientGuard guard;
  private final Replies replies;
  private final Exchange exchange;
  private final WebSocketTunnel tunnel;
  private final AccessLog accessLog;
  private final long clientIdleNanos;

  public ProxyHandler(Vertx vertx, HttpClient client, Supplier<LoadBalancerOptions> options, BackendChoice choice,
                      PassiveHealth passive, LbMetrics metrics, ClientGuard guard, EdgeRules edge,
                      ConnectionDrain drain) {
    LoadBalancerOptions started = options.get();
    this.loop = new ForwardingLoop(vertx, options, metrics, edge, drain);
    this.choice = choice;
    this.guard = guard;
    this.replies = new Replies(metrics);
    this.exchange = new Exchange(loop, client, passive);
    this.tunnel = new WebSocketTunnel(vertx, client, started);
    this.accessLog = new AccessLog(started.accessLog());
    this.clientIdleNanos = TimeUnit.MILLISECONDS.toNanos(started.clientIdleTimeoutMs());
  }

  /** 1. A request arrives. */
  @Override
  public void handle(HttpServerRequest request) {
    Forward forward = admit(request);
    Refusal refusal = loop.edge().check(request);
    long declared = ContentLength.of(request.headers());
    long maxBody = loop.now().maxBodySize();
    if (refusal != null) {
      replies.refuse(forward, refusal);
    } else if (declared > maxBody) {
      replies.refuseAndClose(forward, ProxyErrors.tooLarge(maxBody));
    } else if (KeyedReplay.applies(request, declared)) {
      KeyedReplay.read(forward).onComplete(read -> attemptUnlessGone(forward));
    } else {
      attempt(forward);
    }
  }

  /** Paused until a backend wants the body, named, and watched until its response ends. */
  private Forward admit(HttpServerRequest request) {
    request.pause();
    Forward forward = new Forward(request);
    guard.requestStarted(request);
    HttpServerResponse response = request.response();
    response.putHeader(Forward.REQUEST_ID, forward.requestId());
    if (loop.drain().lastOnConnection(request)) { // while handing over: the next request goes elsewhere
      forward.closeAfterEnd();
    }
    response.endHandler(v -> completed(forward));
    return forward;
  }

  private void attemptUnlessGone(Forward forward) {
    if (!forward.clientGone()) {
      attempt(forward);
    }
  }

  /** 2. An attempt: the next backend not tried yet, and a slot on it. */
  private void attempt(Forward forward) {
    Backend backend = choice.next(forward.tried());
    if (backend == null) {
      if (forward.firstAttempt()) {
        replies.refuse(forward, ProxyErrors.noBackend(loop.now().retryAfterSeconds()));
      } else {
        replies.fail(forward, ProxyErrors.noOtherBackend());
      }
      return;
    }
    if (!forward.firstAttempt()) {
      loop.metrics().retried(true);
    }
    forward.attemptOn(backend);
    if (backend.slots().tryAcquire()) { // the usual case: no future, no listener
      slotTaken(forward, backend);
      return;
    }
    LoadBalancerOptions now = loop.now();
    backend.slots().acquire(loop.vertx(), now.queueTimeoutMs()).onComplete(slot -> {
      if (slot.succeeded()) {
        slotTaken(forward, backend);
      } else {
        replies.refuse(forward, ProxyErrors.queue((BackendSlots.Rejected) slot.cause(), now.queueTimeoutMs(),
          now.retryAfterSeconds()));
      }
    });
  }

  /** 3. With a slot: the exchange, or the tunnel of a WebSocket upgrade; unless the client left meanwhile. */
  private void slotTaken(Forward forward, Backend backend) {
    forward.slotTaken();
    if (forward.clientGone()) {
      forward.releaseSlot(loop.vertx(), false);
      return;
    }
    backend.requestStarted();
    HttpServerRequest request = forward.request();
    Future<Void> attempt = WebSocketTunnel.isUpgrade(request)
      ? tunnel.open(forward, backend, () -> guard.tunnelOpened(request))
        .andThen(done -> forward.releaseSlot(loop.vertx(), done.failed()))
      : exchange.run(forward, backend);
    attempt.onFailure(failure -> attemptFailed(forward, failure));
  }

  /** 4. The attempt failed before a response was relayed. */
  private void attemptFailed(Forward forward, Throwable failure) {
    if (forward.clientHasClosed()) {
      return; // the client left: nothing to answer, nothing against the server
    }
    if (forward.bodyTooLarge()) {
      replies.refuseAndClose(forward, ProxyErrors.tooLarge(loop.now().maxBodySize()));
    } else if (failure instanceof Exchange.Retryable && mayRetry(forward)) {
      attempt(forward);
    } else if (!forward.request().response().headWritten()) {
      replies.fail(forward, ProxyErrors.classify(failure));
    }
  }

  private boolean mayRetry(Forward forward) {
    return forward.tried().size() <= loop.now().retries() && !forward.clientGone()
      && choice.hasCandidate(forward.tried());
  }

  /** 5. The response ended (or the client went away first): classified, counted, logged. */
  private void completed(Forward forward) {
    HttpServerRequest request = forward.request();
    guard.requestEnded(request);
    HttpServerResponse response = request.response();
    long elapsed = forward.elapsedNanos();
    loop.metrics().frontendResponded(response.ended() ? response.getStatusCode() : 0, elapsed);
    Termination termination = Termination.atEnd(forward.termination(), response.ended(), response.headWritten(),
      elapsed, clientIdleNanos);
    loop.metrics().terminated(termination);
    accessLog.log(forward, termination);
    if (forward.closesAfterEnd()) {
      Replies.lingeringClose(loop.vertx(), request);
    }
  }
}
