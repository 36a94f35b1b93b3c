package com.foobar.platform.monitor;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.launch.TierVerticle;
import com.foobar.platform.monitor.alert.Alerting;
import com.foobar.platform.monitor.maintenance.BalancerMaintenance;
import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import com.foobar.platform.monitor.failover.FailoverAdmin;
import com.foobar.platform.monitor.probe.ProbeLoop;
import com.foobar.platform.monitor.probe.ProbeMetrics;
import com.foobar.platform.monitor.probe.ProbePlan;
import com.foobar.platform.monitor.status.StatusBoard;
import com.foobar.platform.monitor.status.StatusRoutes;
import com.foobar.platform.monitor.traffic.BalancerTraffic;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The monitor of www.foobar.com: probes the balancer, the application servers, the MariaDB primary, its replicas
 * and the replication into them every interval ({@code probe}), reads the site's traffic from the balancer
 * ({@code traffic}), evaluates its alert rules ({@code alert}), keeps one writer among the database nodes
 * ({@code failover}) and serves what it found on one (loopback by default) port ({@code status}): a status page
 * at {@code /}, {@code /api/status}, Prometheus {@code /metrics}, its own {@code /health} and {@code /admin/*}.
 */
public class MonitorVerticle extends TierVerticle<MonitorOptions> {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);
  public static final String ENV_PREFIX = "FOOBAR_MONITOR_";

  private MonitorOptions options;
  private WebClient webClient;
  private ProbeMetrics metrics;
  private StatusBoard board;
  private ProbeLoop loop;
  private BalancerTraffic traffic;
  private Alerting alerting;
  private MaintenanceBoard maintenance;
  private final FailoverAdmin failover = new FailoverAdmin();
  private HttpServer server;

  public MonitorVerticle() {
    super(MonitorOptions.SCHEMA, ENV_PREFIX, MonitorOptions::new);
  }

  @Override
  protected Future<?> startWith(MonitorOptions monitorOptions) {
    this.options = monitorOptions;
    return readPassword()
      .map(password -> watch(options.probePlan(password)))
      .compose(watching -> failover.start(vertx, options.databaseNodes(), options.failover()))
      .compose(started -> vertx.fileSystem().readFile(StatusRoutes.PAGE_RESOURCE))
      .compose(this::startServer)
      .onSuccess(listening -> {
        loop.start();
        LOG.info("monitor serving on {}:{}, probing {} every {} ms", options.host(), server.actualPort(),
          board.states().stream().map(state -> state.component().name()).collect(Collectors.joining(", ")),
          options.intervalMs());
      })
      // A failed start is not followed by stop(): release the pools and meters created so far here.
      .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /** The password file is read only when some node has no password of its own. */
  private Future<String> readPassword() {
    return options.needsPasswordFile() ? DatabaseSecrets.read(vertx, options.passwordFile(), "passwordFile")
      : Future.succeededFuture(null);
  }

  /** The probes and what listens to their rounds: the board, the traffic scrape, the alert rules. */
  private ProbeLoop watch(ProbePlan plan) {
    webClient = WebClient.create(vertx, new WebClientOptions()
      .setConnectTimeout(options.timeoutMs())
      .setFollowRedirects(false)
      .setUserAgent("foobar-monitor"));
    metrics = new ProbeMetrics(PlatformMetrics.registry(), plan.components());
    board = new StatusBoard(plan.components(), options.historySize());
    loop = ProbeLoop.create(vertx, webClient, plan, board, metrics);
    if (options.traffic().enabled()) {
      traffic = new BalancerTraffic(webClient, options.traffic(), options.timeoutMs(), options.historySize());
      loop.alsoRun(traffic::scrape);
    }
    maintenance = new MaintenanceBoard(plan.components(), PlatformMetrics.registry());
    BalancerMaintenance operatorStates = new BalancerMaintenance(webClient, plan.balancer(), plan.servers(),
      maintenance, options.timeoutMs());
    if (operatorStates.needed()) {
      loop.alsoRun(operatorStates::read);
    }
    alerting = new Alerting(options.alerts(), webClient, this::statusPageUrl, failover::health, maintenance,
      PlatformMetrics.registry(), options.timeoutMs());
    return loop.afterRound(now -> alerting.evaluate(board.states(), traffic, now));
  }

  /** This monitor's status page, the link alert notifications carry unless one is configured. */
  private String statusPageUrl() {
    return "http://" + options.host() + ":" + actualPort() + "/";
  }

  private Future<HttpServer> startServer(Buffer page) {
    ManagementEndpoints management = new ManagementEndpoints(vertx);
    MonitorErrors.install(management.router());
    StatusRoutes status = new StatusRoutes(board, page, alerting, traffic, failover::health, maintenance);
    // Stale after a few rounds that did not complete: rounds and their probes are bounded, so the loop is stuck.
    status.registerChecks(management, Duration.ofMillis(3L * (options.intervalMs() + options.timeoutMs())));
    // Settled once a few rounds saw the new roles and Prometheus scraped them (every 5 s in conf/prometheus.yml).
    failover.mount(management.router(), maintenance, Math.max(10_000L, 3L * (options.intervalMs() + options.timeoutMs())));
    status.mount(management.router());
    return management.listen(vertx, options.httpServerOptions()).onSuccess(listening -> server = listening);
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
    if (metrics != null) {
      metrics.close();
    }
    if (alerting != null) {
      alerting.close();
    }
    if (maintenance != null) {
      maintenance.close();
    }
    // Probes close before the web client: the synthetic probe still uses it to delete its last probe post.
    Future<Void> probes = loop == null ? Future.succeededFuture() : loop.close();
    return Future.join(probes, failover.stop())
      .onComplete(closed -> {
        if (webClient != null) {
          webClient.close();
        }
      });
  }
}
