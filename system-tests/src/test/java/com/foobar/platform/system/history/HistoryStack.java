package com.foobar.platform.system.history;

import com.foobar.platform.app.AppVerticle;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.monitor.failover.FailoverManager;
import com.foobar.platform.monitor.failover.FailoverOptions;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The whole stack on a MariaDB pair of its own: two application servers (each in its own Vert.x instance, as two
 * machines would be), the balancer, and the monitor's failover manager with short timings. {@link #stopTiers()}
 * and {@link #startTiers()} take everything but the databases down and up again on the same ports, as a full
 * stop and start of the site does.
 */
public final class HistoryStack implements AutoCloseable {

  /** The manager's node names for the pair's nodes. */
  public static final Map<String, String> NODE_OF = Map.of("primary", "primary", "replica-1", "replica");
  static final int FAIL_AFTER_MS = 1500;

  public final MariaDbPair pair = MariaDbPair.isolated();
  private final int[] appPorts = {0, 0};
  private final int[] appManagementPorts = {0, 0};
  private int lbPort;
  private int lbManagementPort;
  private Vertx[] apps;
  private Vertx edge;
  private Vertx watch;
  private FailoverManager manager;
  private int failoversBefore;

  public HistoryStack() {
    startTiers();
  }

  public void startTiers() {
    apps = new Vertx[] {Vertx.vertx(), Vertx.vertx()};
    for (int i = 0; i < 2; i++) {
      AppVerticle app = new AppVerticle();
      Await.result(apps[i].deployVerticle(app, new DeploymentOptions().setConfig(appConfig(i))));
      appPorts[i] = app.actualPort();
      appManagementPorts[i] = app.managementPort();
    }
    edge = Vertx.vertx();
    LoadBalancerVerticle lb = new LoadBalancerVerticle();
    Await.result(edge.deployVerticle(lb, new DeploymentOptions().setConfig(new JsonObject().put("port", lbPort)
      .put("management", new JsonObject().put("port", lbManagementPort)).put("healthCheckInterval", 200)
      .put("backends", new JsonArray().add("127.0.0.1:" + appPorts[0]).add("127.0.0.1:" + appPorts[1]))
      // Ten clients on one address: the shipped per-client write limit (2/s) would refuse nearly every write.
      .put("firewall", new JsonObject().put("rateLimits", new JsonArray()).put("maxConnectionsPerClient", 0)))));
    lbPort = lb.actualPort();
    lbManagementPort = lb.managementPort();
    watch = Vertx.vertx();
    Map<String, MySQLConnectOptions> nodes = new LinkedHashMap<>();
    nodes.put("primary", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.primaryPort()));
    nodes.put("replica-1", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.replicaPort()));
    manager = FailoverManager.create(watch, nodes, new FailoverOptions(new JsonObject().put("enabled", true)
        .put("failAfterMs", FAIL_AFTER_MS).put("checkIntervalMs", 200).put("connectTimeoutMs", 500)),
      pair.password("failover"), pair.password("repl"), PlatformMetrics.registry());
    manager.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> manager.health().writer() != null
      && pair.sql(NODE_OF.get(manager.writerName()), "SELECT @@read_only").strip().equals("0"));
  }

  private JsonObject appConfig(int i) {
    return new JsonObject().put("name", "app-" + (i + 1)).put("port", appPorts[i])
      .put("management", new JsonObject().put("port", appManagementPorts[i])).put("nodeCheckIntervalMs", 200)
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("app").toString());
  }

  /** Every tier stopped (the databases keep running); the failovers counted so far are kept. */
  public void stopTiers() {
    failoversBefore += manager.health().failovers().size();
    Await.result(manager.stop());
    Await.result(watch.close());
    Await.result(edge.close());
    for (Vertx app : apps) {
      Await.result(app.close());
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + lbPort;
  }

  public FailoverManager manager() {
    return manager;
  }

  /** The pair's node ({@code primary}/{@code replica}) that writes now, by the manager. */
  public String writerNode() {
    return NODE_OF.get(manager.writerName());
  }

  public String followerNode() {
    return writerNode().equals("primary") ? "replica" : "primary";
  }

  /** Promotions after a lost writer, over every start of the tiers. */
  public int failovers() {
    return failoversBefore + manager.health().failovers().size();
  }

  /**
   * Waits until both nodes are settled and the writer's commits are acknowledged by the follower again: the
   * state in which an automatic failover loses nothing, and so the precondition of the next kill.
   */
  public void awaitHealthy() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
      manager.health().errant().isEmpty() && manager.health().noSafeWriter() == null
        && Boolean.TRUE.equals(manager.health().semiSyncActive()) && pair.replicating(followerNode()));
  }

  @Override
  public void close() {
    try {
      stopTiers();
    } finally {
      pair.destroy();
    }
  }
}
