package com.foobar.platform.common;

import com.foobar.platform.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code -instances N} each verticle instance must go on from its own event loop after loading its
 * configuration or joining state another instance created; otherwise every instance's servers land on one loop
 * (the balancer once served all its traffic on one of two loops that way, through a future the first instance
 * had created).
 */
class EventLoopPerInstanceTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  /** Records the thread it started on and the one it went on from after TierConfig.load. */
  public static final class Recorder extends VerticleBase {
    static final List<String[]> THREADS = new CopyOnWriteArrayList<>();
    private static final com.foobar.platform.common.config.Schema SCHEMA =
      new com.foobar.platform.common.config.Schema("test options");

    static {
      SCHEMA.integer("k", 1, 0, 10, "a key");
    }

    @Override
    public Future<?> start() {
      String before = Thread.currentThread().getName();
      return TierConfig.load(vertx, SCHEMA, config(), "FOOBAR_TEST_")
        .onSuccess(config -> THREADS.add(new String[] {before, Thread.currentThread().getName()}));
    }
  }

  @Test
  void tierConfigCompletesOnEachInstancesOwnEventLoop() {
    Recorder.THREADS.clear();
    Await.result(vertx.deployVerticle(Recorder.class, new DeploymentOptions().setInstances(3)));
    assertThat(Recorder.THREADS).hasSize(3);
    Set<String> loops = ConcurrentHashMap.newKeySet();
    for (String[] threads : Recorder.THREADS) {
      assertThat(threads[1]).as("went on from the thread it started on").isEqualTo(threads[0]);
      loops.add(threads[1]);
    }
    assertThat(loops).as("one event loop per instance").hasSize(3);
  }
}
