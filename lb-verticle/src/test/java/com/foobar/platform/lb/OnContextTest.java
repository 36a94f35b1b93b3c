package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A future another context completes comes back on the given one (each balancer instance on its own loop). */
class OnContextTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aForeignFutureIsDeliveredOnTheGivenContext() {
    var mine = vertx.getOrCreateContext();
    var other = vertx.getOrCreateContext();
    Promise<String> result = Promise.promise();
    mine.runOnContext(v -> {
      String expected = Thread.currentThread().getName();
      Promise<Integer> foreign = Promise.promise();
      other.runOnContext(w -> foreign.complete(42));
      OnContext.of(mine, foreign.future())
        .onComplete(done -> result.complete(expected + " " + Thread.currentThread().getName()));
    });
    String[] threads = Await.result(result.future()).split(" ");
    assertThat(threads[1]).isEqualTo(threads[0]);
  }
}
