package com.foobar.platform.system;

import com.foobar.platform.testing.FreePorts;
import com.foobar.platform.testing.MariaDbPair;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode with real processes: the balancer, two application servers and the monitor, each its own JVM
 * started from its shaded jar with {@code -cluster} (Hazelcast, the shipped {@code conf/cluster.xml}: TCP/IP
 * member list on loopback, multicast off), the balancer configured with no backends at all and the application
 * servers and the monitor with no replica. The servers announce themselves and take traffic; a third server
 * started later takes traffic too; SIGKILLed, it leaves the pool while a loop of GETs through the balancer sees
 * no failure. The monitor finds the replica in the primary's {@code SHOW SLAVE HOSTS} and publishes it; the
 * application servers add it and send it reads.
 */
class ClusterDiscoveryTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscoveryTest.class);

  private static final List<TierProcess> processes = new ArrayList<>();
  private static final String clusterName = "foobar-test-" + UUID.randomUUID();
  private static final int[] hazelcastPorts = {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
    FreePorts.next()};
  /** app-1's management port, for its view of the database nodes. */
  private static final int app1Management = FreePorts.next();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();
  /** The management token of the processes: the balancer's admin API requires one. */
  private static final String TOKEN = UUID.randomUUID().toString();
  private static MariaDbPair pair;
  private static int lbPort;
  private static int lbManagementPort;

  @BeforeAll
  static void startCluster() {
    pair = MariaDbPair.shared();
    lbPort = FreePorts.next();
    lbManagementPort = FreePorts.next();
    JsonObject lb = new JsonObject()
      .put("port", lbPort)
      .put("management", new JsonObject().put("port", lbManagementPort))
      .put("backends", new JsonArray())
      .put("healthCheckIntervalMs", 200)
      .put("slowStartMs", 0)
      .put("discoveryIntervalMs", 300)
      .put("accessLog", "off");
    processes.add(TierProcess.start("lb", "lb-verticle", lb, clusterJvmArgs(0), clusterArgs()));
    processes.add(app("app-1", 1));
    processes.add(app("app-2", 2));
    processes.add(monitor());
  }

  /** The monitor with its failover manager, told about the primary only: the replica it must find itself. */
  private static TierProcess monitor() {
    JsonObject db = new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort());
    JsonObject config = new JsonObject()
      .put("port", FreePorts.next())
      .put("balancer", new JsonObject().put("name", "lb")
        .put("url", "http://127.0.0.1:" + lbManagementPort + "/health/ready"))
      .put("servers", new JsonArray().add(new JsonObject().put("name", "app-1")
        .put("url", "http://127.0.0.1:" + app1Management + "/health/ready")))
      .put("primary", db.copy().put("user", "foobar_monitor"))
      .put("replicas", new JsonArray())
      .put("passwordFile", pair.secret("monitor").toString())
      .put("synthetic", new JsonObject().put("enabled", false))
      .put("traffic", new JsonObject().put("enabled", false))
      .put("alerts", new JsonObject().put("enabled", false))
      .put("failover", new JsonObject().put("enabled", false).put("checkIntervalMs", 300)
        .put("passwordFile", pair.secret("failover").toString())
        .put("replicationPasswordFile", pair.secret("repl").toString()));
    return TierProcess.start("monitor", "monitor-verticle", config, clusterJvmArgs(4), clusterArgs());
  }

  @AfterAll
  static void stopCluster() {
    processes.forEach(TierProcess::close);
  }

  private static TierProcess app(String name, int index) {
    JsonObject config = new JsonObject()
      .put("name", name)
      .put("port", 0)
      .put("management", new JsonObject().put("port", index == 1 ? app1Management : 0))
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray())
      .put("passwordFile", pair.secret("app").toString())
      .put("cluster", new JsonObject().put("announceIntervalMs", 500));
    return TierProcess.start(name, "app-verticle", config, clusterJvmArgs(index), clusterArgs());
  }

  /** The shipped cluster.xml with this test's cluster name, ports and member list (loopback only). */
  private static List<String> clusterJvmArgs(int index) {
    String members = java.util.Arrays.stream(hazelcastPorts).mapToObj(port -> "127.0.0.1:" + port)
      .collect(Collectors.joining(","));
    return List.of(
      "-Dvertx.hazelcast.config=" + RepoRoot.find().resolve("conf/cluster.xml"),
      "-Dfoobar.cluster.name=" + clusterName,
      "-Dfoobar.cluster.port=" + hazelcastPorts[index],
      "-Dfoobar.cluster.interface=127.0.0.1",
      "-Dfoobar.cluster.members=" + members,
      "-Dhazelcast.socket.bind.any=false",
      "-Dfoobar.management.token=" + TOKEN);
  }

  private static List<String> clusterArgs() {
    return List.of("-cluster", "-cluster-host", "127.0.0.1");
  }

  @Test
  void serversJoinTheBalancerByThemselvesAndAKilledOneLeavesWithoutAFailedRequest() throws Exception {
    awaitServedBy(Set.of("app-1", "app-2"), 120);
    List<String> firstTwo = backends();
    assertEquals(2, firstTwo.size(), "the balancer found the two announced servers: " + firstTwo);

    TierProcess third = app("app-3", 3);
    processes.add(third);
    awaitServedBy(Set.of("app-1", "app-2", "app-3"), 120);
    List<String> three = backends();
    three.removeAll(firstTwo);
    assertEquals(1, three.size(), "app-3 was added to the pool: " + backends());
    String thirdAddress = three.get(0);
    LOG.info("app-3 takes traffic; pool: {}", backends());

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Thread loop = new Thread(() -> {
      while (running.get()) {
        try {
          HttpResponse<String> response = get("/api/posts?limit=1");
          if (response.statusCode() == 200) {
            ok.incrementAndGet();
            response.headers().firstValue("X-Served-By").ifPresent(seen::add);
          } else {
            failures.add(response.statusCode() + " " + response.body());
          }
        } catch (Exception e) {
          failures.add(e.toString());
        }
      }
    }, "get-loop");
    loop.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > 50);
      third.kill();
      int atKill = ok.get();
      LOG.info("app-3 (pid {}) killed after {} GETs", third.pid(), atKill);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> !backends().contains(thirdAddress));
      // Keep going a little after the removal, so requests on the new pool are counted too.
      int atRemoval = ok.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > atRemoval + 50);
      LOG.info("{} GETs answered 200 across the kill and the removal, {} failed", ok.get(), failures.size());
    } finally {
      running.set(false);
      loop.join(10_000);
    }
    assertEquals(0, failures.size(), "GETs through the balancer failed while app-3 died: "
      + failures.subList(0, Math.min(20, failures.size())));
    assertTrue(seen.contains("app-3"), "app-3 served some of the loop's GETs before it was killed: " + seen);
    assertEquals(firstTwo, backends(), "the pool holds app-1 and app-2 only");
  }

  @Test
  void aReplicaNoneWasConfiguredWithJoinsTheAppServersAndServesReads() throws Exception {
    String replica = "127.0.0.1:" + pair.replicaPort();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
      .until(() -> learnedNode(replica) != null);
    String name = learnedNode(replica);
    LOG.info("app-1 learned the replica {} as {} from the cluster's directory", replica, name);
    awaitServedBy(Set.of("app-1"), 60);
    Pattern queries = Pattern.compile("(?m)^foobar_app_db_queries_total\\{[^}]*node=\"" + Pattern.quote(name)
      + "\"[^}]*} ([0-9.E]+)");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (int i = 0; i < 10; i++) {
        get("/api/posts?limit=1");
      }
      Matcher count = queries.matcher(app1("/metrics"));
      return count.find() && Double.parseDouble(count.group(1)) > 0;
    });
  }

  /** The name app-1 gave the node at {@code address} when it learned it from the directory, or null. */
  private static String learnedNode(String address) throws Exception {
    JsonObject nodes = new JsonObject(app1("/database"));
    for (String name : nodes.fieldNames()) {
      Object node = nodes.getValue(name);
      if (node instanceof JsonObject json && address.equals(json.getString("address"))
        && Boolean.TRUE.equals(json.getBoolean("learned"))) {
        return name;
      }
    }
    return null;
  }

  private static String app1(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app1Management + path))
      .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).GET().build(),
      HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void awaitServedBy(Set<String> names, int seconds) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try {
      await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).until(() -> {
        try {
          HttpResponse<String> response = get("/api/posts?limit=1");
          if (response.statusCode() == 200) {
            response.headers().firstValue("X-Served-By").ifPresent(seen::add);
          }
        } catch (Exception e) {
          // The balancer may not listen yet.
        }
        return seen.containsAll(names);
      });
    } catch (RuntimeException | Error e) {
      throw new AssertionError("expected traffic to reach " + names + ", seen " + seen + "\n"
        + processes.stream().map(TierProcess::tail).collect(Collectors.joining("\n")), e);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lbPort + path))
      .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Addresses of the balancer's pool, from its admin API. */
  private static List<String> backends() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + lbManagementPort + "/admin/backends"))
        .header("Authorization", "Bearer " + TOKEN).GET().build(),
      HttpResponse.BodyHandlers.ofString());
    JsonObject body = new JsonObject(response.body());
    List<String> names = new ArrayList<>();
    body.getJsonArray("backends").forEach(backend -> names.add(((JsonObject) backend).getString("name")));
    return names;
  }
}
