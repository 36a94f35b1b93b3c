package com.foobar.platform.lb;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brings a future's outcome back to a given context.
 *
 * <p>A future completed on another context (for example one created by the first instance of a deployment and
 * shared with the others) runs its listeners on that context's thread. A verticle that went on from there
 * would create its servers and clients on the other context's event loop: with {@code -instances N} every
 * instance would then serve on one event loop (seen in the balancer: all traffic on one thread of two).
 * Chaining through this keeps each instance on its own loop.
 */
final class OnContext {

  private OnContext() {
  }

  /** {@code future}'s outcome, delivered on {@code context}. */
  static <T> Future<T> of(Context context, Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(done -> {
      if (Vertx.currentContext() == context) {
        promise.handle(done);
      } else {
        context.runOnContext(v -> promise.handle(done));
      }
    });
    return promise.future();
  }
}
