package com.foobar.platform.monitor;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.foobar.platform.testing.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor opens many clients (a probe each): with its metrics settings (META-INF/foobar/tier.properties) a
 * second client registers no duplicate gauge, so Micrometer logs no "already registered" warning at start-up.
 */
class StartupWarningsTest {

  @Test
  void asecondNetClientRegistersNoDuplicateGauge() throws Exception {
    Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    micrometer.addAppender(events);
    Vertx vertx = Vertx.vertx();
    // A plain JDK socket as the peer: only the client side's meters are under test (the kernel completes the
    // connections from the backlog).
    try (ServerSocket peer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      for (int client = 0; client < 2; client++) {
        Await.result(vertx.createNetClient().connect(peer.getLocalPort(), "127.0.0.1"));
      }
      MeterRegistry registry = BackendRegistries.getDefaultNow();
      assertThat(registry).as("metrics on, as the tiers run").isNotNull();
      assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("vertx.net.client."));
      assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(message -> message.contains("already registered"));
    } finally {
      micrometer.detachAppender(events);
      Await.result(vertx.close());
    }
  }
}
