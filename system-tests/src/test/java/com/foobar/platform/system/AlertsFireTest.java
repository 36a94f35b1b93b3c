package com.foobar.platform.system;

import com.foobar.platform.system.monitoring.PrometheusServer;
import com.foobar.platform.testing.FreePorts;
import com.foobar.platform.testing.RepoRoot;
import com.foobar.platform.testing.TempDirs;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every rule of the shipped {@code conf/alerts.yml} fires on a real Prometheus, not only loads: an exposition
 * served here trips each one (under the series names and labels the tiers export), and every rule must reach
 * {@code firing}. The rules' {@code for} is shortened to 1 s in the test's copy; nothing else changes.
 */
class AlertsFireTest {

  /** Counters grow with the seconds since the test started, so rate() and increase() see traffic. */
  private final long started = System.nanoTime();

  private String lb(long t) {
    return """
      foobar_lb_backend_up{backend="127.0.0.1:1"} 0
      foobar_lb_frontend_http_responses_total{code="2xx"} %1$d
      foobar_lb_frontend_http_responses_total{code="5xx"} %2$d
      foobar_lb_frontend_response_time_seconds_bucket{le="1.0"} 0
      foobar_lb_frontend_response_time_seconds_bucket{le="5.0"} %2$d
      foobar_lb_frontend_response_time_seconds_bucket{le="+Inf"} %2$d
      foobar_lb_tls_certificate_expiry_seconds{certificate="state/tls/site.pem"} 86400
      """.formatted(t, 10 * t) + jvm();
  }

  private String app(long t) {
    return """
      vertx_pool_queue_time_seconds_sum{pool_name="primary",pool_type="sql"} %2$d
      vertx_pool_queue_time_seconds_count{pool_name="primary",pool_type="sql"} %2$d
      disk_free_bytes{path="/srv/foobar/state"} 5e9
      disk_total_bytes{path="/srv/foobar/state"} 100e9
      """.formatted(t, 5 * t);
  }

  private String monitor(long t) {
    return """
      foobar_component_up{component="lb",kind="balancer"} 0
      foobar_component_up{component="app-2",kind="server"} 0
      foobar_replication_threads_running{replica="replica-1",thread="sql"} 0
      foobar_replication_threads_running{replica="replica-1",thread="io"} 1
      foobar_replication_lag_seconds{replica="replica-1"} 120
      foobar_database_writable{node="primary",role="primary"} 1
      foobar_database_writable{node="replica-1",role="replica"} 1
      foobar_db_errant_gtids{node="replica-1",gtids="0-2-7"} 1
      foobar_db_writer_semisync_active{node="primary"} 0
      foobar_db_no_safe_writer 1
      foobar_failovers_total %1$d
      foobar_probe_duration_seconds_bucket{component="synthetic",le="1.0"} 0
      foobar_probe_duration_seconds_bucket{component="synthetic",le="5.0"} %1$d
      foobar_probe_duration_seconds_bucket{component="synthetic",le="+Inf"} %1$d
      """.formatted(t);
  }

  /** G1's young pools have no max (-1); the old generation's max is -Xmx. */
  private static String jvm() {
    return """
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 20
      jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} -1
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 75
      jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 100
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 1000
      """;
  }

  @Test
  void everyShippedRuleFiresOnARealPrometheus() throws Exception {
    Path dir = TempDirs.create("foobar-alerts-fire-");
    HttpServer exposition = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, java.util.function.LongFunction<String>> jobs = Map.of("lb", this::lb, "app", this::app,
      "monitor", this::monitor);
    jobs.forEach((job, body) -> exposition.createContext("/" + job, exchange -> {
      byte[] text = body.apply(Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1)
        .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, text.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(text);
      }
    }));
    exposition.start();
    try {
      String rules = Files.readString(RepoRoot.find().resolve("conf/alerts.yml"))
        .replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 1s");
      Files.writeString(dir.resolve("alerts.yml"), rules);
      Files.writeString(dir.resolve("prometheus.yml"), config(exposition.getAddress().getPort(), jobs.keySet()));
      try (PrometheusServer prometheus = PrometheusServer.start(dir, dir.resolve("prometheus.yml"))) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .untilAsserted(() -> assertThat(states(prometheus)).hasSize(19)
            .allSatisfy((rule, state) -> assertThat(state).as(rule).isEqualTo("firing")));
      }
    } finally {
      exposition.stop(0);
      TempDirs.delete(dir);
    }
  }

  /** Each rule's name and state (inactive, pending, firing). */
  private static Map<String, String> states(PrometheusServer prometheus) {
    return prometheus.rules().stream().collect(Collectors.toMap(rule -> rule.getString("name"),
      rule -> rule.getString("state"), (a, b) -> a, java.util.TreeMap::new));
  }

  /** One job per tier at its own path, and a job whose target does not listen (FoobarInstanceDown). */
  private static String config(int port, java.util.Set<String> jobs) throws IOException {
    StringBuilder config = new StringBuilder("""
      global:
        scrape_interval: 1s
        evaluation_interval: 1s
      rule_files: [alerts.yml]
      scrape_configs:
      """);
    for (String job : jobs) {
      config.append("  - job_name: ").append(job).append("\n    metrics_path: /").append(job)
        .append("\n    static_configs: [{targets: ['127.0.0.1:").append(port).append("']}]\n");
    }
    config.append("  - job_name: gone\n    static_configs: [{targets: ['127.0.0.1:").append(FreePorts.next())
      .append("']}]\n");
    return config.toString();
  }
}
