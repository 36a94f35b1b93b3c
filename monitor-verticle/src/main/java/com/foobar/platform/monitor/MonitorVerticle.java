package com.foobar.platform.monitor;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.TierConfig;
import com.foobar.platform.monitor.failover.DatabaseHealth;
import com.foobar.platform.monitor.failover.FailoverAdmin;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The monitor of www.foobar.com: probes the balancer, the application servers, the MariaDB primary, its replicas
 * and the replication into them every interval, and serves what it found on one (loopback by default) port: a
 * status page at {@code /}, {@code /api/status}, Prometheus {@code /metrics} and its own {@code /health}.
 */
public class MonitorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);
  public static final String ENV_PREFIX = "FOOBAR_MONITOR_";
  static final String PAGE_RESOURCE = "monitor/index.html";

  private MonitorOptions options;
  private WebClient webClient;
  private final List<Probe> probes = new ArrayList<>();
  private StatusBoard board;
  private MonitorMetrics metrics;
  private ProbeLoop loop;
  private BalancerTraffic traffic;
  private final AlertEngine alerts = new AlertEngine();
  private HttpServer server;
  private final FailoverAdmin failover = new FailoverAdmin();
  private TopologyPublisher topology;

  @Override
  public Future<?> start() {
    return TierConfig.load(vertx, new MonitorOptions().toJson(), config(), ENV_PREFIX)
      .map(MonitorOptions::new)
      .compose(this::startWith);
  }

  private Future<?> startWith(MonitorOptions monitorOptions) {
    this.options = monitorOptions;
    return readPassword(monitorOptions)
      .map(this::createProbes)
      .compose(created -> failover.start(vertx, databaseNodes(), options.getFailover()))
      .onSuccess(started -> publishTopology())
      .compose(started -> vertx.fileSystem().readFile(PAGE_RESOURCE))
      .compose(this::startServer)
      .onSuccess(listening -> {
        loop.start();
        LOG.info("monitor serving on {}:{}, probing {} every {} ms", options.getHost(), server.actualPort(),
          probes.stream().flatMap(probe -> probe.components().stream()).map(Component::name)
            .collect(Collectors.joining(", ")), options.getIntervalMs());
      })
      // A failed start is not followed by stop(): release the pools and meters created so far here.
      .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /** Under -cluster, the managed database nodes go into the cluster's directory for the application servers. */
  private void publishTopology() {
    if (vertx.isClustered() && failover.manager() != null) {
      topology = new TopologyPublisher(vertx, failover.manager(), options.getFailover().getCheckInterval());
      topology.start();
    }
  }

  /** The password file is read only when some node has no password of its own. */
  private Future<String> readPassword(MonitorOptions monitorOptions) {
    boolean needed = !DatabaseSecrets.hasPassword(monitorOptions.getPrimary())
      || monitorOptions.getReplicas().stream().anyMatch(replica -> !DatabaseSecrets.hasPassword(replica));
    return needed ? DatabaseSecrets.read(vertx, monitorOptions.getPasswordFile(), "passwordFile")
      : Future.succeededFuture(null);
  }

  private ProbeLoop createProbes(String password) {
    webClient = WebClient.create(vertx, new WebClientOptions()
      .setConnectTimeout(options.getTimeoutMs())
      .setFollowRedirects(false)
      .setUserAgent("foobar-monitor"));
    probes.add(new HttpProbe(Component.balancer(options.getBalancer().name()), options.getBalancer(), webClient,
      options.getTimeoutMs()));
    options.getServers().forEach(target -> probes.add(new HttpProbe(Component.server(target.name()), target,
      webClient, options.getTimeoutMs())));
    probes.add(new PrimaryProbe(vertx, Component.primary(), DatabaseSecrets.withPassword(options.getPrimary(), password),
      options.getTimeoutMs()));
    for (int i = 0; i < options.getReplicas().size(); i++) {
      probes.add(new ReplicaProbe(vertx, Component.replica(i + 1), DatabaseSecrets.withPassword(options.getReplicas().get(i), password),
        options.getTimeoutMs(), options.getMaxReplicationLagSeconds()));
    }
    List<Component> components = new ArrayList<>(probes.stream().flatMap(probe -> probe.components().stream()).toList());
    if (options.getSynthetic().isEnabled()) {
      components.add(Component.synthetic());
    }
    metrics = new MonitorMetrics(PlatformMetrics.registry(), components);
    if (options.getSynthetic().isEnabled()) {
      probes.add(new SyntheticProbe(vertx, webClient, options.getSynthetic(), options.getTimeoutMs(), metrics));
    }
    board = new StatusBoard(components, options.getHistorySize());
    loop = new ProbeLoop(vertx, probes, board, metrics, options.getIntervalMs(), options.getTimeoutMs());
    if (options.getTraffic().isEnabled()) {
      traffic = new BalancerTraffic(webClient, options.getTraffic(), options.getTimeoutMs(), options.getHistorySize());
      loop.alsoRun(traffic::scrape);
    }
    if (options.getAlerts().isEnabled()) {
      AlertRules rules = new AlertRules(options.getAlerts(), this::databaseHealth);
      AlertNotifier notifier = new AlertNotifier(webClient, options.getAlerts(), this::generatorUrl, metrics,
        options.getTimeoutMs());
      loop.afterRound(now -> {
        AlertEngine.Transitions transitions = alerts.update(rules.evaluate(board, traffic, now), now);
        alerts.firingByName().forEach(metrics::recordFiring);
        notifier.notify(transitions, alerts.firing(), now);
      });
    }
    return loop;
  }

  /** The database nodes by the names the probes use, the configured primary first. */
  private Map<String, MySQLConnectOptions> databaseNodes() {
    Map<String, MySQLConnectOptions> nodes = new LinkedHashMap<>();
    nodes.put(Component.primary().name(), options.getPrimary());
    for (int i = 0; i < options.getReplicas().size(); i++) {
      nodes.put(Component.replica(i + 1).name(), options.getReplicas().get(i));
    }
    return nodes;
  }

  /** The database's durability as the failover manager sees it; null when it does not run. */
  private DatabaseHealth databaseHealth() {
    return failover.manager() == null ? null : failover.manager().health();
  }

  /** The link alert notifications carry: the configured one, or this monitor's status page. */
  private String generatorUrl() {
    String configured = options.getAlerts().getGeneratorUrl();
    return configured != null ? configured : "http://" + options.getHost() + ":" + actualPort() + "/";
  }

  private Future<HttpServer> startServer(Buffer page) {
    ManagementEndpoints management = new ManagementEndpoints(vertx);
    management.readiness().register("probe-loop", promise -> promise.complete(board.rounds() > 0
      ? Status.OK(loopState()) : Status.KO(loopState())));
    management.health().register("probe-loop", promise -> promise.complete(isFresh()
      ? Status.OK(loopState()) : Status.KO(loopState())));
    failover.mount(management.router());
    new StatusRoutes(board, page, alerts, traffic, this::databaseHealth).mount(management.router());
    return management.listen(vertx, options.httpServerOptions()).onSuccess(listening -> server = listening);
  }

  /**
   * The monitor is healthy while its data is fresh: the last round completed within a few intervals. Whether the
   * monitored components are up is what it reports, not its own health.
   */
  private boolean isFresh() {
    Instant last = board.lastRoundAt();
    Duration staleAfter = Duration.ofMillis(3L * (options.getIntervalMs() + options.getTimeoutMs()));
    return last != null && last.plus(staleAfter).isAfter(Instant.now());
  }

  private JsonObject loopState() {
    return new JsonObject().put("rounds", board.rounds())
      .put("lastRoundAt", board.lastRoundAt() == null ? null : board.lastRoundAt().toString());
  }

  /** The port the status server listens on (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (loop != null) {
      loop.stop();
    }
    if (topology != null) {
      topology.stop();
    }
    if (metrics != null) {
      metrics.close();
    }
    // Probes close first: the synthetic probe still uses the web client to delete its last probe post.
    List<Future<?>> closing = new ArrayList<>(probes.stream().map(Probe::close).toList());
    closing.add(failover.stop());
    return Future.join(closing)
      .onComplete(closed -> {
        if (webClient != null) {
          webClient.close();
        }
      });
  }
}
