package com.foobar.platform.lb.forward;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams a backend response's body to the client, with back-pressure both ways, in place of
 * {@code response.send(backendResponse)}:
 * <ul>
 *   <li>a body that arrives whole with its head (its declared length in one chunk, the usual case for small
 *   responses) is sent with the head in one write, Vert.x's cheapest path; anything else streams as it comes;</li>
 *   <li>a backend that fails mid-body resets the client's response (HTTP/1.1: the connection closes), so a
 *   truncated body can never look complete. Vert.x's pipe ends the response instead, which with chunked
 *   encoding delivers a cut body as if it were whole;</li>
 *   <li>once the client is gone, nothing more is written.</li>
 * </ul>
 */
final class ResponseRelay implements Handler<Buffer> {

  private final Forward forward;
  private final HttpClientResponse from;
  private final HttpServerResponse to;
  private final long declaredLength;
  private final Promise<Void> done = Promise.promise();
  private Buffer whole;

  private ResponseRelay(Forward forward, HttpClientResponse from, HttpServerResponse to) {
    this.forward = forward;
    this.from = from;
    this.to = to;
    this.declaredLength = ContentLength.of(from.headers());
  }

  /** Starts relaying; the future completes when the client response is written, fails when the relay broke. */
  static Future<Void> relay(Forward forward, HttpClientResponse from, HttpServerResponse to) {
    ResponseRelay relay = new ResponseRelay(forward, from, to);
    from.handler(relay);
    from.exceptionHandler(relay::backendFailed);
    from.endHandler(v -> relay.backendEnded());
    return relay.done.future();
  }

  @Override
  public void handle(Buffer chunk) {
    forward.backendActive();
    if (to.closed() || to.ended()) {
      return;
    }
    if (whole == null && !to.headWritten() && chunk.length() == declaredLength) {
      whole = chunk; // the end follows in the same read
      return;
    }
    if (whole != null) { // more than declared: let Vert.x's framing checks see it
      to.write(whole);
      whole = null;
    }
    to.write(chunk);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  private void backendEnded() {
    if (to.closed() || to.ended()) {
      done.tryFail("the client went away before the response was written");
      return;
    }
    (whole == null ? to.end() : to.end(whole)).onComplete(done);
  }

  private void backendFailed(Throwable failure) {
    from.handler(null);
    if (!forward.clientHasClosed()) { // else the failure is the reset that followed the client's leaving
      forward.terminated(Termination.SERVER_BROKE_BODY);
    }
    if (!to.closed() && !to.ended()) {
      to.reset();
    }
    done.tryFail(failure);
  }
}
