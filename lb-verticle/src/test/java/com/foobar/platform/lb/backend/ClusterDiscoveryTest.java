package com.foobar.platform.lb.backend;

import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.common.ClusterRegistry;
import com.foobar.platform.testing.Await;
import com.hazelcast.config.Config;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The balancer's side of cluster mode in one clustered Vert.x (a single Hazelcast member on loopback, a cluster
 * name of its own): a server entered in the cluster's directory joins the pool DOWN and takes traffic only after
 * passing checks; its entry's removal takes it out; configured backends are never touched by discovery; without
 * a cluster, an empty backend list is refused. (Several JVMs: system-tests' ClusterDiscoveryTest.)
 */
class ClusterDiscoveryTest extends BalancerTestBase {

  @AfterEach
  void close() {
    if (vertx != null) {
      Await.result(vertx.close(), 30);
    }
  }

  private void clustered() {
    Config config = ConfigUtil.loadConfig().setClusterName("lb-test-" + UUID.randomUUID());
    config.getNetworkConfig().setPort(0).getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    vertx = Await.result(Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered(), 60);
  }

  @Test
  void announcedServersJoinDownPassChecksAndLeaveWithTheirEntry() {
    clustered();
    TestBackend configured = new TestBackend(vertx, "configured");
    TestBackend announced = new TestBackend(vertx, "announced");
    announced.healthStatus = 503;
    deploy(new JsonArray().add(configured.address()), new JsonObject().put("discoveryIntervalMs", 100));
    ClusterRegistry registry = new ClusterRegistry(vertx, ClusterRegistry.SERVERS);
    Await.result(registry.announce(announced.address(), new JsonObject().put("address", announced.address())
      .put("name", "announced"), 60_000));

    await().atMost(Duration.ofSeconds(10)).until(() -> states().containsKey(announced.address()));
    // Failing its checks, it stays DOWN and gets nothing.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
      .until(() -> "DOWN".equals(states().get(announced.address())));
    for (int i = 0; i < 10; i++) {
      assertEquals("configured", get("/").getHeader("X-Served-By"));
    }

    announced.healthStatus = 200;
    await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(states().get(announced.address())));
    await().atMost(Duration.ofSeconds(10)).until(() -> "announced".equals(get("/").getHeader("X-Served-By")));

    Await.result(registry.withdraw(announced.address()));
    await().atMost(Duration.ofSeconds(10)).until(() -> !states().containsKey(announced.address()));
    assertEquals(Map.of(configured.address(), "UP"), states(), "the configured backend stays");
  }

  @Test
  void withoutAClusterAnEmptyBackendListIsRefused() {
    vertx = Vertx.vertx();
    RuntimeException failure = assertThrows(RuntimeException.class,
      () -> deploy(new JsonArray(), new JsonObject()));
    assertTrue(String.valueOf(failure.getMessage()).contains("backends is empty"), failure.getMessage());
  }

  @Test
  void discoveryKeysAreValidated() {
    assertThrows(IllegalArgumentException.class,
      () -> LoadBalancerOptions.fromJson(new JsonObject().put("discoveryIntervalMs", 10)));
    LoadBalancerOptions options = LoadBalancerOptions.fromJson(new JsonObject().put("clusterDiscovery", false)
      .put("discoveryIntervalMs", 2000));
    assertEquals(LoadBalancerOptions.fromJson(options.toJson()).toJson(), options.toJson());
    assertEquals(false, options.toJson().getBoolean("clusterDiscovery"));
  }
}
