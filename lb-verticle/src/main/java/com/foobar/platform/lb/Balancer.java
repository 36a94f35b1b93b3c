package com.foobar.platform.lb;

import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one balancer deployment shares across its verticle instances ({@code -instances N}): the backends
 * with their health, admin state, slots and counters, the health checker, the metrics, the management server,
 * the operator's changes kept on disk ({@link AdminChanges}) and the current configuration, which a reload
 * ({@link ConfigReload}) replaces. The first instance of a deployment creates it in a Vert.x local map keyed by
 * the deployment id; the others join it; the last one to stop closes it. So an admin change or a failed check is
 * seen by every event loop at once, and each backend's connection limit holds for the whole process.
 */
final class Balancer implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);
  private static final String MAP = "foobar.lb.balancers";

  /** The configuration now: read on every request, replaced whole by a reload. */
  volatile LoadBalancerOptions options;
  final BackendPool pool;
  final LbMetrics metrics;
  /** Replaced whole when a reload changes the rules; each connection keeps the one it was counted on. */
  volatile Firewall firewall;
  final AdminChanges changes;
  final ConfigReload reload;
  private final Vertx vertx;
  private final long sweeper;
  private final HttpClient checkClient;
  private final HealthChecker checker;
  private final ManagementEndpoints management;
  private final Future<HttpServer> managementServer;
  private final ClusterDiscovery discovery;
  private volatile boolean draining;
  private int references;

  private Balancer(Vertx vertx, LoadBalancerOptions options, JsonObject deploymentConfig) {
    this.vertx = vertx;
    this.options = options;
    this.pool = new BackendPool("leastconn".equals(options.getBalance()));
    this.metrics = new LbMetrics(PlatformMetrics.registry());
    this.checkClient = vertx.httpClientBuilder()
      .with(TlsSetup.backendClient(new HttpClientOptions().setKeepAlive(true).setName("lb-checks"), options.getTls()))
      .with(new PoolOptions().setHttp1MaxSize(1)).build();
    this.firewall = new Firewall(options.getFirewall(), PlatformMetrics.registry());
    // The client table forgets idle clients; a tenth of the expiry keeps it close to the bound.
    this.sweeper = vertx.setPeriodic(Math.max(1000, options.getFirewall().getExpire() / 10), id -> {
      Firewall current = firewall;
      if (current.tracksClients()) {
        current.sweep();
      }
    });
    this.checker = new HealthChecker(vertx, checkClient, pool, () -> this.options);
    this.management = new ManagementEndpoints(vertx);
    management.readiness().register("backends", promise -> promise.complete(pool.anyTakesTraffic() ? Status.OK()
      : Status.KO(new JsonObject().put("reason", "no backend takes traffic"))));
    // Which process answers: during a restart two balancers share the management port for a moment.
    management.health().register("process", promise -> promise.complete(draining
      ? Status.KO(new JsonObject().put("pid", ProcessHandle.current().pid()).put("draining", true))
      : Status.OK(new JsonObject().put("pid", ProcessHandle.current().pid()))));
    this.changes = new AdminChanges(vertx, this, new ServerState(options.getServerStateFile()));
    this.reload = new ConfigReload(vertx, this, deploymentConfig);
    new AdminApi(this).mount(management.router());
    options.getBackends().forEach(this::add);
    changes.restore();
    HttpServerOptions managementOptions = new HttpServerOptions(options.getManagement()).setReusePort(options.isReusePort());
    this.managementServer = management.listen(vertx, managementOptions);
    this.discovery = vertx.isClustered() && options.isClusterDiscovery() ? new ClusterDiscovery(vertx, this) : null;
    if (discovery != null) {
      discovery.start();
    }
    if (LaunchConfig.launched()) {
      reload.onSignal();
    }
  }

  /** The deployment's balancer, created by the first instance to ask. */
  static Balancer join(Vertx vertx, String deploymentId, LoadBalancerOptions options, JsonObject deploymentConfig) {
    LocalMap<String, Balancer> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (Balancer.class) {
      Balancer balancer = map.computeIfAbsent(deploymentId, id -> new Balancer(vertx, options, deploymentConfig));
      balancer.references++;
      return balancer;
    }
  }

  /** Leaves the deployment's balancer; the last instance out stops checks and closes the management server. */
  static Future<Void> leave(Vertx vertx, String deploymentId) {
    LocalMap<String, Balancer> map = vertx.sharedData().getLocalMap(MAP);
    Balancer balancer;
    synchronized (Balancer.class) {
      balancer = map.get(deploymentId);
      if (balancer == null || --balancer.references > 0) {
        return Future.succeededFuture();
      }
      map.remove(deploymentId);
    }
    return balancer.close();
  }

  LoadBalancerOptions options() {
    return options;
  }

  Future<HttpServer> managementServer() {
    return managementServer;
  }

  /**
   * This process is handing over to another (a restart): the management port stops accepting, so the admin API
   * and health checks reach the new process; admin changes are refused meanwhile ({@link AdminApi}).
   */
  Future<Void> startDraining() {
    if (draining) {
      return Future.succeededFuture();
    }
    draining = true;
    return managementServer.transform(done -> done.succeeded()
      ? done.result().shutdown(Math.max(1000, options.getShutdownTimeout() / 2), java.util.concurrent.TimeUnit.MILLISECONDS)
      : Future.succeededFuture());
  }

  boolean draining() {
    return draining;
  }

  /** Adds a backend (config or admin API): checks start, metrics appear. False when it exists. */
  boolean add(BackendSpec spec) {
    return add(spec, false);
  }

  /**
   * Adds a backend; {@code startDown}: it gets no traffic until it passed {@code rise} checks (a server that
   * only announced itself, {@link ClusterDiscovery}), where a configured one is trusted until checks say not.
   */
  boolean add(BackendSpec spec, boolean startDown) {
    Backend backend = new Backend(spec, options);
    for (int i = 0; startDown && i < options.getFall(); i++) {
      backend.recordFailure("announced in the cluster, not checked yet");
    }
    if (!pool.add(backend)) {
      return false;
    }
    metrics.register(backend);
    management.health().register("backend/" + backend.name(), promise -> promise.complete(
      backend.isUp() ? Status.OK(backend.toJson()) : Status.KO(backend.toJson())));
    checker.start(backend);
    LOG.info("backend {} added (weight {})", backend.name(), spec.weight());
    return true;
  }

  /** Removes a backend: no new requests, in-flight ones finish, its checks and series go. */
  void remove(Backend backend) {
    if (pool.remove(backend)) {
      management.health().unregister("backend/" + backend.name());
      metrics.unregister(backend);
      LOG.info("backend {} removed", backend.name());
    }
  }

  /** A validated new configuration's live part ({@link ConfigReload}): checks, limits, firewall rules. */
  void reconfigure(LoadBalancerOptions next) {
    LoadBalancerOptions previous = options;
    options = next;
    pool.all().forEach(backend -> backend.configure(next));
    if (!previous.getFirewall().toJson().equals(next.getFirewall().toJson())) {
      // The old table's gauge goes first, or the registry would keep reporting the old table's size.
      firewall.close();
      firewall = new Firewall(next.getFirewall(), PlatformMetrics.registry());
    }
  }

  private Future<Void> close() {
    checker.stop();
    vertx.cancelTimer(sweeper);
    if (discovery != null) {
      discovery.stop();
    }
    reload.close();
    pool.all().forEach(metrics::unregister);
    firewall.close();
    return managementServer.transform(done -> done.succeeded() ? done.result().close() : Future.succeededFuture())
      .eventually(() -> checkClient.close());
  }
}
