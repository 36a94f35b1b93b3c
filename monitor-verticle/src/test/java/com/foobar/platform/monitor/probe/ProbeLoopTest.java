package com.foobar.platform.monitor.probe;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(VertxExtension.class)
class ProbeLoopTest {

  /** A probe whose run() is given; records on which thread the loop asks for failure observations. */
  private static final class FakeProbe implements Probe {
    private final Component component;
    private final Supplier<Future<Map<String, Observation>>> run;
    final List<Boolean> failedOnEventLoop = new CopyOnWriteArrayList<>();

    FakeProbe(Component component, Supplier<Future<Map<String, Observation>>> run) {
      this.component = component;
      this.run = run;
    }

    @Override
    public List<Component> components() {
      return List.of(component);
    }

    @Override
    public Future<Map<String, Observation>> run() {
      return run.get();
    }

    @Override
    public Map<String, Observation> failed(String reason) {
      failedOnEventLoop.add(Context.isOnEventLoopThread());
      return Map.of(component.name(), Observation.down(new JsonObject(), reason));
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** Keeps the last observation of each component, in the components' order, and counts the rounds. */
  private static final class Recorder implements RoundRecorder {
    private final Map<String, Observation> last = new LinkedHashMap<>();
    private long rounds;

    Recorder(List<Component> components) {
      components.forEach(component -> last.put(component.name(), null));
    }

    @Override
    public void record(Component component, Observation observation, Instant at) {
      last.put(component.name(), observation);
    }

    @Override
    public void roundCompleted(Instant at) {
      rounds++;
    }

    long rounds() {
      return rounds;
    }

    List<String> errors() {
      return last.values().stream().map(Observation::error).toList();
    }
  }

  private static <T> T on(Context context, Supplier<T> read) throws Exception {
    CompletableFuture<T> value = new CompletableFuture<>();
    context.runOnContext(v -> value.complete(read.get()));
    return value.get(5, TimeUnit.SECONDS);
  }

  @Test
  void hungAndThrowingProbesAreReportedDownWithoutStallingTheLoop(Vertx vertx) throws Exception {
    Component ok = Component.server("ok");
    Component hung = Component.server("hung");
    Component broken = Component.server("broken");
    FakeProbe okProbe = new FakeProbe(ok, () -> Future.succeededFuture(Map.of("ok", Observation.up(new JsonObject()))));
    FakeProbe hungProbe = new FakeProbe(hung, () -> Promise.<Map<String, Observation>>promise().future());
    FakeProbe brokenProbe = new FakeProbe(broken, () -> {
      throw new IllegalStateException("boom");
    });
    List<Component> components = List.of(ok, hung, broken);
    Recorder board = new Recorder(components);
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry(), components);
    ProbeLoop loop = new ProbeLoop(vertx, List.of(okProbe, hungProbe, brokenProbe), board, metrics, 50, 30);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> loop.start());

    await().atMost(Duration.ofSeconds(10)).until(() -> on(context, board::rounds) >= 3);
    List<String> errors = on(context, board::errors);
    context.runOnContext(v -> loop.stop());

    assertThat(errors).containsExactly(null, "no answer within 30 ms", "boom");
    assertThat(hungProbe.failedOnEventLoop).isNotEmpty().doesNotContain(false);
    assertThat(brokenProbe.failedOnEventLoop).isNotEmpty().doesNotContain(false);
  }
}
