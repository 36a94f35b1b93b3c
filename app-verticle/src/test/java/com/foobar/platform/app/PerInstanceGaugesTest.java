package com.foobar.platform.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.testing.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two HTTP servers on one port (a tier's event loops) and two clients, with the tiers' metrics: Vert.x 5.0 would
 * register their "active" gauges once per instance under one id, which Micrometer warns about at every start and
 * counts wrong; PlatformMetrics leaves them out, and nothing is logged.
 */
class PerInstanceGaugesTest {

  @Test
  void twoServersOnOnePortAndTwoClientsLogNoDuplicateGauge() {
    Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    micrometer.addAppender(events);
    // Micrometer warns once per JVM, then logs the same at debug level: see every one.
    ch.qos.logback.classic.Level level = micrometer.getLevel();
    micrometer.setLevel(ch.qos.logback.classic.Level.DEBUG);
    Vertx vertx = Vertx.vertx();
    try {
      MeterRegistry registry = PlatformMetrics.registry();
      HttpServer first = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setReusePort(true))
        .requestHandler(request -> request.response().end("ok")).listen(0));
      Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setReusePort(true))
        .requestHandler(request -> request.response().end("ok")).listen(first.actualPort()));
      for (int client = 0; client < 2; client++) {
        for (int request = 0; request < 2; request++) {
          Await.result(vertx.createHttpClient().request(HttpMethod.GET, first.actualPort(), "127.0.0.1", "/")
            .compose(sent -> sent.send()).compose(response -> response.body()));
        }
      }
      assertThat(registry.getMeters()).as("requests were timed").anyMatch(meter ->
        meter.getId().getName().equals("vertx.http.server.requests"));
      assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getName().contains(".active."))
        .noneMatch(meter -> "http".equals(meter.getId().getTag("pool_type")) && meter.getId().getType() == Meter.Type.GAUGE);
      assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(message -> message.contains("already registered"));
    } finally {
      micrometer.detachAppender(events);
      micrometer.setLevel(level);
      Await.result(vertx.close());
    }
  }
}
