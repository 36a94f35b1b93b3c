package com.foobar.platform.system;

import com.foobar.platform.app.AppVerticle;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.monitor.MonitorVerticle;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The design's topology on ephemeral ports: a balancer over two application servers, each server in its own
 * Vert.x instance (as two machines would be), over the shared real MariaDB primary and replica, and a monitor
 * watching all of it.
 */
final class Topology implements AutoCloseable {

  final MariaDbPair pair = MariaDbPair.shared();
  final Vertx[] servers = {Vertx.vertx(), Vertx.vertx()};
  final AppVerticle[] apps = {new AppVerticle(), new AppVerticle()};
  private final String[] deployments = new String[2];
  final Vertx edge = Vertx.vertx();
  final LoadBalancerVerticle balancer = new LoadBalancerVerticle();
  final Vertx watch = Vertx.vertx();
  final MonitorVerticle monitor = new MonitorVerticle();
  private final JsonObject monitorExtras;
  private final JsonObject[] appExtras;

  /** The monitor's probe interval here, against the shipped 2000 ms. */
  static final int PROBE_INTERVAL_MS = 300;

  /**
   * Without limits: these tests send many writes and connections from one address (127.0.0.1), which the shipped
   * per-client limits exist to stop. {@code WriteLimitsTest} runs the shipped ones.
   */
  static final JsonObject NO_LIMITS = new JsonObject().put("firewall", new JsonObject()
    .put("rateLimits", new JsonArray()).put("maxConnectionsPerClient", 0));

  /**
   * The shipped limits, with the write rate scaled to this topology's faster probe (300 ms rounds against
   * 2000 ms), so the synthetic probe meets the same budget it has in production: 2 writes a second per
   * 2000 ms of interval.
   */
  static final JsonObject PROBE_SCALED_LIMITS = new JsonObject().put("firewall", new JsonObject()
    .put("rateLimits", new JsonArray().add(new JsonObject().put("prefix", "/api/")
      .put("methods", new JsonArray().add("POST").add("PUT").add("DELETE"))
      .put("rate", 2.0 * 2000 / PROBE_INTERVAL_MS).put("burst", 10))));

  /**
   * Without the synthetic probe: its requests through the balancer would interleave with a test's own and
   * break round-robin expectations.
   */
  Topology() {
    this(new JsonObject().put("synthetic", new JsonObject().put("enabled", false)), NO_LIMITS);
  }

  /**
   * {@code monitorExtras} is merged (deeply) into the monitor's config: alert webhooks, for-durations; the
   * synthetic probe runs unless the extras disable it, under the shipped limits scaled to its interval.
   */
  Topology(JsonObject monitorExtras) {
    this(monitorExtras, PROBE_SCALED_LIMITS);
  }

  /** {@code lbExtras} is merged into the balancer's config (its firewall, say). */
  Topology(JsonObject monitorExtras, JsonObject lbExtras) {
    this(monitorExtras, lbExtras, new JsonObject(), new JsonObject());
  }

  /** {@code appExtras} are merged into app-1's and app-2's configs (a web root of each its own, say). */
  Topology(JsonObject monitorExtras, JsonObject lbExtras, JsonObject... appExtras) {
    this.monitorExtras = monitorExtras;
    this.appExtras = appExtras;
    for (int i = 0; i < 2; i++) {
      deployments[i] = Await.result(servers[i].deployVerticle(apps[i],
        new DeploymentOptions().setConfig(appConfig("app-" + (i + 1)))));
    }
    JsonObject lb = new JsonObject()
      .put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add("127.0.0.1:" + apps[0].actualPort()).add("127.0.0.1:" + apps[1].actualPort()))
      .put("healthCheckIntervalMs", 200)
      .mergeIn(lbExtras.copy());
    Await.result(edge.deployVerticle(balancer, new DeploymentOptions().setConfig(lb)));
    Await.result(watch.deployVerticle(monitor, new DeploymentOptions().setConfig(monitorConfig())));
  }

  private JsonObject monitorConfig() {
    JsonArray servers = new JsonArray();
    for (int i = 0; i < 2; i++) {
      servers.add(new JsonObject().put("name", "app-" + (i + 1))
        .put("url", "http://127.0.0.1:" + apps[i].managementPort() + "/health/ready"));
    }
    return new JsonObject()
      .put("port", 0)
      .put("intervalMs", PROBE_INTERVAL_MS)
      .put("timeoutMs", 1000)
      .put("balancer", new JsonObject().put("name", "lb")
        .put("url", "http://127.0.0.1:" + balancer.managementPort() + "/health/ready"))
      .put("servers", servers)
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("monitor").toString())
      .put("synthetic", new JsonObject().put("url", "http://127.0.0.1:" + balancer.actualPort()))
      .put("traffic", new JsonObject().put("url", "http://127.0.0.1:" + balancer.managementPort() + "/metrics"))
      .mergeIn(monitorExtras, true);
  }

  private JsonObject appConfig(String name) {
    return appConfig(name, 0, 0);
  }

  private JsonObject appConfig(String name, int port, int managementPort) {
    return new JsonObject()
      .put("name", name)
      .put("port", port)
      .put("management", new JsonObject().put("port", managementPort))
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("app").toString())
      .put("warmUpMs", 0) // no test here measures warmth (bench/warm-start.sh does); WarmUpTest runs one
      .mergeIn(appExtras[Integer.parseInt(name.substring(name.length() - 1)) - 1].copy(), true);
  }

  /**
   * Takes one application server away: its verticle is undeployed, which closes its listening sockets and its
   * connections. (Closing its whole Vert.x instance would also drop the metrics registry that every Vert.x
   * instance of this one test JVM shares; the tiers run in separate JVMs in production.)
   */
  void crash(int server) {
    Await.result(servers[server].undeploy(deployments[server]));
  }

  /** Brings a crashed server back on the ports it had, as a restarted process would. */
  void restart(int server) {
    AppVerticle crashed = apps[server];
    apps[server] = new AppVerticle();
    deployments[server] = Await.result(servers[server].deployVerticle(apps[server], new DeploymentOptions()
      .setConfig(appConfig("app-" + (server + 1), crashed.actualPort(), crashed.managementPort()))));
  }

  @Override
  public void close() {
    Await.result(watch.close());
    Await.result(edge.close());
    for (Vertx server : servers) {
      Await.result(server.close());
    }
  }
}
