package com.foobar.platform.lb;

import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one balancer deployment shares across its verticle instances ({@code -instances N}): the backends
 * with their health, admin state, slots and counters, the health checker, the metrics and the management
 * server. The first instance of a deployment creates it in a Vert.x local map keyed by the deployment id; the
 * others join it; the last one to stop closes it. So an admin change or a failed check is seen by every event
 * loop at once, and each backend's connection limit holds for the whole process.
 */
final class Balancer implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);
  private static final String MAP = "foobar.lb.balancers";

  final LoadBalancerOptions options;
  final BackendPool pool;
  final LbMetrics metrics;
  final Firewall firewall;
  private final Vertx vertx;
  private final long sweeper;
  private final HttpClient checkClient;
  private final HealthChecker checker;
  private final ManagementEndpoints management;
  private final Future<HttpServer> managementServer;
  private final ClusterDiscovery discovery;
  private int references;

  private Balancer(Vertx vertx, LoadBalancerOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.pool = new BackendPool("leastconn".equals(options.getBalance()));
    this.metrics = new LbMetrics(PlatformMetrics.registry());
    this.checkClient = vertx.httpClientBuilder()
      .with(TlsSetup.backendClient(new HttpClientOptions().setKeepAlive(true).setName("lb-checks"), options.getTls()))
      .with(new PoolOptions().setHttp1MaxSize(1)).build();
    this.firewall = new Firewall(options.getFirewall(), PlatformMetrics.registry());
    // The client table forgets idle clients; a tenth of the expiry keeps it close to the bound.
    this.sweeper = firewall.tracksClients()
      ? vertx.setPeriodic(Math.max(1000, options.getFirewall().getExpire() / 10), id -> firewall.sweep()) : -1;
    this.checker = new HealthChecker(vertx, checkClient, pool, options);
    this.management = new ManagementEndpoints(vertx);
    management.readiness().register("backends", promise -> promise.complete(pool.anyTakesTraffic() ? Status.OK()
      : Status.KO(new JsonObject().put("reason", "no backend takes traffic"))));
    new AdminApi(this).mount(management.router());
    options.getBackends().forEach(this::add);
    this.managementServer = management.listen(vertx, options.getManagement());
    this.discovery = vertx.isClustered() && options.isClusterDiscovery() ? new ClusterDiscovery(vertx, this) : null;
    if (discovery != null) {
      discovery.start();
    }
  }

  /** The deployment's balancer, created by the first instance to ask. */
  static Balancer join(Vertx vertx, String deploymentId, LoadBalancerOptions options) {
    LocalMap<String, Balancer> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (Balancer.class) {
      Balancer balancer = map.computeIfAbsent(deploymentId, id -> new Balancer(vertx, options));
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

  Future<HttpServer> managementServer() {
    return managementServer;
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

  private Future<Void> close() {
    checker.stop();
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    if (discovery != null) {
      discovery.stop();
    }
    pool.all().forEach(metrics::unregister);
    firewall.close();
    return managementServer.transform(done -> done.succeeded() ? done.result().close() : Future.succeededFuture())
      .eventually(() -> checkClient.close());
  }
}
