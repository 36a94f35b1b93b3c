package com.foobar.platform.system;

import com.foobar.platform.testing.FreePorts;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16's rolling restart, as {@code ./foobar restart} does it, on real processes over real MariaDB: under a
 * steady mixed load through the balancer (GETs and POSTs carrying a unique marker on 32 keep-alive connections)
 * each application server is drained in the balancer, stopped once idle, started again and returned to service,
 * then the balancer itself is replaced by a new process. Zero failed requests; every acknowledged POST is in
 * the database exactly once.
 */
class RollingRestartTest {

  private final MariaDbPair pair = MariaDbPair.shared();
  private final BalancerProcess lb = new BalancerProcess();
  private final int[] appPorts = {FreePorts.next(), FreePorts.next()};
  private final int[] appManagementPorts = {FreePorts.next(), FreePorts.next()};
  private final TierProcess[] apps = new TierProcess[2];
  private final List<TierProcess> all = new ArrayList<>();
  private TierProcess balancer;

  @BeforeEach
  void start() {
    for (int i = 0; i < 2; i++) {
      apps[i] = startApp(i);
    }
    for (int i = 0; i < 2; i++) {
      awaitReady(i);
    }
    balancer = lb.start("lb", lb.config(List.of(backend(0), backend(1)), new JsonObject()));
    all.add(balancer);
  }

  @AfterEach
  void stopAll() {
    all.forEach(TierProcess::close);
  }

  private String backend(int i) {
    return "127.0.0.1:" + appPorts[i];
  }

  private TierProcess startApp(int i) {
    JsonObject config = new JsonObject().put("name", "app-" + (i + 1)).put("port", appPorts[i])
      .put("management", new JsonObject().put("port", appManagementPorts[i])).put("nodeCheckIntervalMs", 200)
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("app").toString());
    TierProcess process = TierProcess.start("app-" + (i + 1), "app-verticle", config, List.of(), List.of());
    all.add(process);
    return process;
  }

  private void awaitReady(int i) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      if (!apps[i].alive()) {
        throw new AssertionError(apps[i].tail());
      }
      return status("http://127.0.0.1:" + appManagementPorts[i] + "/health/ready") == 200;
    });
  }

  private static int status(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The launcher's restart_app: drain, wait until idle, stop, start, ready, checks passing, back in rotation. */
  private void restartApp(int i) {
    assertThat(lb.admin("PUT", "/admin/backends/" + backend(i), "{\"state\":\"drain\"}").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> lb.backend(backend(i)).getInteger("active") == 0);
    apps[i].stop();
    apps[i] = startApp(i);
    awaitReady(i);
    await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(lb.backend(backend(i)).getString("health")));
    assertThat(lb.admin("PUT", "/admin/backends/" + backend(i), "{\"state\":\"ready\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void restartingEveryAppServerThenTheBalancerUnderLoadFailsNoRequestAndDuplicatesNoPost() throws Exception {
    try (LoadClient load = new LoadClient(lb.port, 32, "/api/posts?limit=5", true)) {
      Thread.sleep(1500);
      restartApp(0);
      Thread.sleep(1000);
      restartApp(1);
      Thread.sleep(1000);
      balancer = lb.restart(balancer, "lb-2");
      all.add(balancer);
      Thread.sleep(3000);
      load.stop();

      assertThat(load.failures).isEmpty();
      assertThat(load.acknowledged).hasSizeGreaterThan(20);
      String rows = pair.sql("primary", "SELECT body FROM foobar.posts WHERE body LIKE '" + load.marker() + "-%'");
      List<String> stored = Arrays.stream(rows.split("\n")).map(String::trim)
        .filter(line -> line.startsWith(load.marker())).toList();
      Set<String> unique = new HashSet<>(stored);
      assertThat(stored).as("no POST stored twice").hasSameSizeAs(unique);
      assertThat(unique).as("every acknowledged POST stored").containsAll(load.acknowledged);
    }
  }
}
