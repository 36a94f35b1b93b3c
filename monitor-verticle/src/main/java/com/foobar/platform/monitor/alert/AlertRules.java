package com.foobar.platform.monitor.alert;

import com.foobar.platform.monitor.failover.DatabaseHealth;
import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import com.foobar.platform.monitor.probe.Component;
import com.foobar.platform.monitor.probe.ComponentState;
import com.foobar.platform.monitor.probe.Observation;
import com.foobar.platform.monitor.traffic.BalancerTraffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The monitor's alert rules, evaluated after every probe round over what the round found. Their names, severities,
 * labels and runbooks are {@link AlertCatalog}'s, which also generates {@code conf/alerts.yml}:
 * <ul>
 *   <li>FoobarComponentDown{component,kind}: a part (balancer, database node, the synthetic probe) down;</li>
 *   <li>FoobarServerDown{component,kind}: an app server down;</li>
 *   <li>FoobarReplicationBroken{replica}: a replication thread stopped, the lag NULL, or the replica unreachable;</li>
 *   <li>FoobarReplicationLag{replica}: Seconds_Behind_Master beyond the threshold;</li>
 *   <li>FoobarSiteErrors{source}: the balancer's 5xx ratio over the window, or the synthetic probe's failure
 *       ratio, beyond the threshold;</li>
 *   <li>FoobarSiteSlow{source}: the balancer's p95 latency over the window, or the last synthetic probe, beyond
 *       the threshold;</li>
 *   <li>FoobarWritableReplica{replica} and FoobarTwoWritableNodes: writes could fork the data;</li>
 *   <li>the database's durability, from the failover manager: {@link DatabaseAlerts}.</li>
 * </ul>
 */
final class AlertRules {

  static final String COMPONENT_DOWN = "FoobarComponentDown";
  static final String SERVER_DOWN = "FoobarServerDown";
  static final String REPLICATION_BROKEN = "FoobarReplicationBroken";
  static final String REPLICATION_LAG = "FoobarReplicationLag";
  static final String SITE_ERRORS = "FoobarSiteErrors";
  static final String SITE_SLOW = "FoobarSiteSlow";
  static final String WRITABLE_REPLICA = "FoobarWritableReplica";
  static final String TWO_WRITABLE_NODES = "FoobarTwoWritableNodes";
  static final List<String> NAMES = Stream.concat(Stream.of(COMPONENT_DOWN, SERVER_DOWN, REPLICATION_BROKEN,
    REPLICATION_LAG, SITE_ERRORS, SITE_SLOW, WRITABLE_REPLICA, TWO_WRITABLE_NODES), DatabaseAlerts.NAMES.stream())
    .toList();

  /**
   * How long a component that has never been healthy counts as starting rather than down: the launcher's own
   * wait for health ({@code FOOBAR_UP_TIMEOUT}, 60 s by default).
   */
  static final Duration STARTUP_BOUND = Duration.ofSeconds(60);

  /** The synthetic failure ratio is judged over at least this many probes. */
  static final int MIN_SYNTHETIC_PROBES = 3;

  private final AlertOptions options;
  private final Supplier<DatabaseHealth> database;
  private final MaintenanceBoard maintenance;

  /** {@code database} gives the failover manager's view, or null when it does not run. */
  AlertRules(AlertOptions options, Supplier<DatabaseHealth> database, MaintenanceBoard maintenance) {
    this.options = options;
    this.database = database;
    this.maintenance = maintenance;
  }

  /**
   * The conditions holding now, over every component's last observation and the balancer's traffic (or null).
   * A component starting or in planned maintenance is no evidence of anything. One incident is one alert: the
   * replication into a node that is down, or from a primary that is down, is that node's alert, not another.
   */
  List<AlertCondition> evaluate(Collection<ComponentState> states, BalancerTraffic traffic, Instant now) {
    List<AlertCondition> found = new ArrayList<>();
    List<String> writable = new ArrayList<>();
    Set<String> databaseDown = databaseNodesDown(states, now);
    for (ComponentState state : states) {
      Observation last = state.last();
      Component component = state.component();
      if (last == null || state.starting(now, STARTUP_BOUND) || maintenance.of(component, now) != null) {
        continue;
      }
      if (component.isReplication()) {
        if (!databaseDown.contains(component.node()) && !databaseDown.contains(Component.PRIMARY)) {
          replication(component, last, found);
        }
        continue;
      }
      if (!last.up()) {
        found.add(AlertCondition.of(downRule(component), Map.of("component", component.name(),
            "kind", component.kind()), component.name() + " is down",
          component.name() + " (" + component.kind() + ") is down: " + last.error(), options.componentDownForSeconds()));
      } else if (component.isDatabase() && last.writable()) {
        writable.add(component.name());
        if (component.isReplica()) {
          found.add(AlertCondition.of(WRITABLE_REPLICA, Map.of("replica", component.name()),
            "replica " + component.name() + " is writable", component.name() + " has read_only=0: a write to it would "
              + "fork it from the primary", options.topologyForSeconds()));
        }
      }
      if (Component.SYNTHETIC.equals(component.name())) {
        synthetic(state, last, now, found);
      }
    }
    if (writable.size() >= 2) {
      found.add(AlertCondition.of(TWO_WRITABLE_NODES, Map.of(), "two database nodes are writable",
        "writable nodes: " + String.join(", ", writable) + "; writes may go to either and the data diverge",
        options.topologyForSeconds()));
    }
    if (traffic != null) {
      balancer(traffic.window(Duration.ofSeconds(options.windowSeconds()), now), found);
    }
    DatabaseAlerts.evaluate(database.get(), options, now, !databaseDown.isEmpty()
      || maintenance.databaseInMaintenance(now), found);
    return found;
  }

  /** The database nodes found down (whatever their state of start-up): the cause of what follows from them. */
  private static Set<String> databaseNodesDown(Collection<ComponentState> states, Instant now) {
    Set<String> down = new HashSet<>();
    for (ComponentState state : states) {
      if (state.component().isDatabase() && state.last() != null && !state.last().up()) {
        down.add(state.component().name());
      }
    }
    return down;
  }

  /**
   * An app server down is a warning (the others serve its share); anything else down is critical. A replica node
   * down counts as critical: it leaves no failover target, and FoobarReplicationBroken pages for it anyway.
   */
  private static String downRule(Component component) {
    return Component.SERVER.equals(component.kind()) ? SERVER_DOWN : COMPONENT_DOWN;
  }

  private void replication(Component component, Observation last, List<AlertCondition> found) {
    boolean threads = last.threadRunning("ioThread") && last.threadRunning("sqlThread");
    Map<String, String> labels = Map.of("replica", component.node());
    if (!threads || last.lagSeconds() == null) {
      found.add(AlertCondition.of(REPLICATION_BROKEN, labels, "replication into " + component.node() + " is broken",
        String.valueOf(last.error()), options.replicationForSeconds()));
    } else if (last.lagSeconds() > options.maxReplicationLagSeconds()) {
      found.add(AlertCondition.of(REPLICATION_LAG, labels, component.node() + " lags " + last.lagSeconds() + " s",
        "Seconds_Behind_Master " + last.lagSeconds() + " exceeds " + options.maxReplicationLagSeconds() + " s",
        options.replicationForSeconds()));
    }
  }

  private void synthetic(ComponentState state, Observation last, Instant now, List<AlertCondition> found) {
    Map<String, String> labels = Map.of("source", "synthetic");
    if (last.up() && last.latencyMs() > options.maxLatencyMs()) {
      found.add(AlertCondition.of(SITE_SLOW, labels, "the site is slow (synthetic probe)",
        "write, read back and delete took " + last.latencyMs() + " ms, more than " + options.maxLatencyMs() + " ms",
        options.siteForSeconds()));
    }
    ComponentState.Samples probes = state.samplesSince(now.minusSeconds(options.windowSeconds()));
    if (probes.total() >= MIN_SYNTHETIC_PROBES && (double) probes.failed() / probes.total() > options.maxErrorRatio()) {
      found.add(AlertCondition.of(SITE_ERRORS, labels, "synthetic requests through the balancer fail",
        probes.failed() + " of " + probes.total() + " synthetic probes failed in the last " + options.windowSeconds() + " s",
        options.siteForSeconds()));
    }
  }

  private void balancer(BalancerTraffic.Delta window, List<AlertCondition> found) {
    if (window == null) {
      return;
    }
    Map<String, String> labels = Map.of("source", "balancer");
    if (window.requests() >= options.minRequests() && window.errors() / window.requests() > options.maxErrorRatio()) {
      found.add(AlertCondition.of(SITE_ERRORS, labels, "the balancer answers 5xx",
        String.format("%.0f of %.0f requests answered 5xx in the last %d s", window.errors(), window.requests(),
          options.windowSeconds()), options.siteForSeconds()));
    }
    Double p95 = window.p95Ms();
    if (p95 != null && p95 > options.maxLatencyMs()) {
      found.add(AlertCondition.of(SITE_SLOW, labels, "the site is slow (balancer)",
        String.format("p95 response time %.0f ms over the last %d s exceeds %d ms", p95, options.windowSeconds(),
          options.maxLatencyMs()), options.siteForSeconds()));
    }
  }
}
