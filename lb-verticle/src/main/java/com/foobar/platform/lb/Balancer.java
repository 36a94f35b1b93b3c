package com.foobar.platform.lb;

import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.launch.LaunchConfig;
import com.foobar.platform.lb.admin.AdminApi;
import com.foobar.platform.lb.admin.AdminChanges;
import com.foobar.platform.lb.admin.ConfigReload;
import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.backend.BackendPool;
import com.foobar.platform.lb.backend.Backends;
import com.foobar.platform.lb.backend.ClusterDiscovery;
import com.foobar.platform.lb.backend.HealthChecker;
import com.foobar.platform.lb.backend.PassiveHealth;
import com.foobar.platform.lb.backend.ServerState;
import com.foobar.platform.lb.balance.BackendChoice;
import com.foobar.platform.lb.balance.Balance;
import com.foobar.platform.lb.edge.Firewalls;
import com.foobar.platform.lb.edge.TlsSetup;
import com.foobar.platform.lb.metrics.CertificateExpiry;
import com.foobar.platform.lb.metrics.LbMetrics;
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

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The state one balancer deployment shares across its verticle instances ({@code -instances N}), and where its
 * parts are put together: the backends with their health, admin state, slots and counters, the health checker,
 * the choice among backends, the firewall, the metrics, the management server with the admin API, the operator's
 * changes kept on disk ({@link AdminChanges}) and the current configuration, which a reload ({@link ConfigReload})
 * replaces. The first instance of a deployment creates it in a Vert.x local map keyed by the deployment id; the
 * others join it; the last one to stop closes it. So an admin change or a failed check is seen by every event loop
 * at once, and each backend's connection limit holds for the whole process.
 */
final class Balancer implements Shareable {

  private static final String MAP = "foobar.lb.balancers";

  /** The configuration now: read on every request, replaced whole by a reload. */
  private volatile LoadBalancerOptions options;
  private final Vertx vertx;
  private final BackendChoice choice;
  private final PassiveHealth passive;
  private final LbMetrics metrics;
  private final CertificateExpiry certificates;
  private final Firewalls firewalls;
  private final Backends backends;
  private final ConfigReload reload;
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
    BackendPool pool = new BackendPool();
    this.choice = new BackendChoice(pool, Balance.named(options.balance()));
    this.passive = new PassiveHealth(pool);
    this.metrics = new LbMetrics(PlatformMetrics.registry());
    this.certificates = new CertificateExpiry(PlatformMetrics.registry());
    certificates.track(options.tls());
    this.firewalls = new Firewalls(vertx, options.firewall(), PlatformMetrics.registry());
    this.checkClient = vertx.httpClientBuilder()
      .with(TlsSetup.backendClient(new HttpClientOptions().setKeepAlive(true).setName("lb-checks"), options.tls()))
      .with(new PoolOptions().setHttp1MaxSize(1)).build();
    this.checker = new HealthChecker(vertx, checkClient, pool, this::options);
    this.management = new ManagementEndpoints(vertx);
    this.backends = new Backends(pool, checker, this::options, new Backends.Listener() {
      @Override
      public void added(Backend backend) {
        metrics.register(backend);
        management.health().register("backend/" + backend.name(), promise -> promise.complete(
          backend.isUp() ? Status.OK(backend.toJson()) : Status.KO(backend.toJson())));
      }

      @Override
      public void removed(Backend backend) {
        management.health().unregister("backend/" + backend.name());
        metrics.unregister(backend);
      }
    });
    registerHealth(pool);
    AdminChanges changes = new AdminChanges(vertx, backends, this::options, new ServerState(options.serverStateFile()));
    this.reload = new ConfigReload(vertx, backends, changes, this::options, this::reconfigure, deploymentConfig);
    new AdminApi(backends, changes, reload, this::options, this::draining).mount(management.router());
    options.backends().forEach(backends::add);
    changes.restore();
    this.managementServer = management.listen(vertx,
      new HttpServerOptions(options.management()).setReusePort(options.reusePort()));
    this.discovery = vertx.isClustered() && options.clusterDiscovery()
      ? new ClusterDiscovery(vertx, backends, this::options) : null;
    if (discovery != null) {
      discovery.start();
    }
    if (LaunchConfig.launched()) {
      reload.onSignal();
    }
  }

  private void registerHealth(BackendPool pool) {
    management.readiness().register("backends", promise -> promise.complete(pool.anyTakesTraffic() ? Status.OK()
      : Status.KO(new JsonObject().put("reason", "no backend takes traffic"))));
    // Which process answers: during a restart two balancers share the management port for a moment.
    management.health().register("process", promise -> promise.complete(draining
      ? Status.KO(new JsonObject().put("pid", ProcessHandle.current().pid()).put("draining", true))
      : Status.OK(new JsonObject().put("pid", ProcessHandle.current().pid()))));
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

  /**
   * What the deployment shares with each of its verticle instances: the configuration now, the choice among
   * backends, passive health, the metrics, the firewall, the reload (for new certificates) and the management
   * server (the first instance's).
   */
  record Shared(Supplier<LoadBalancerOptions> options, BackendChoice choice, PassiveHealth passive, LbMetrics metrics,
                Firewalls firewalls, ConfigReload reload, Future<HttpServer> managementServer) {
  }

  Shared shared() {
    return new Shared(this::options, choice, passive, metrics, firewalls, reload, managementServer);
  }

  private LoadBalancerOptions options() {
    return options;
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
      ? done.result().shutdown(Math.max(1000, options.shutdownTimeoutMs() / 2), TimeUnit.MILLISECONDS)
      : Future.succeededFuture());
  }

  private boolean draining() {
    return draining;
  }

  /** A validated new configuration's live part ({@link ConfigReload}): checks, limits, firewall rules. */
  private void reconfigure(LoadBalancerOptions next) {
    options = next;
    backends.configure(next);
    firewalls.reconfigure(next.firewall());
    certificates.track(next.tls());
  }

  private Future<Void> close() {
    checker.stop();
    if (discovery != null) {
      discovery.stop();
    }
    reload.close();
    backends.all().forEach(metrics::unregister);
    certificates.close();
    firewalls.close();
    return managementServer.transform(done -> done.succeeded() ? done.result().close() : Future.succeededFuture())
      .eventually(() -> checkClient.close());
  }
}
