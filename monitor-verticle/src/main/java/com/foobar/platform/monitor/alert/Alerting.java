package com.foobar.platform.monitor.alert;

import com.foobar.platform.monitor.failover.DatabaseHealth;
import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import com.foobar.platform.monitor.probe.ComponentState;
import com.foobar.platform.monitor.traffic.BalancerTraffic;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.time.Instant;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The monitor's alerting, as the rest of the monitor sees it: after each probe round, {@link #evaluate} runs the
 * rules ({@link AlertRules}, {@link DatabaseAlerts}) over what the round found, tracks each alert's state
 * ({@link AlertEngine}) and tells the log and the webhooks ({@link AlertNotifier}); {@link #toJson} is what the
 * status page and {@code /api/status} show. Only touched on the monitor's event loop.
 */
public final class Alerting {

  private final AlertOptions options;
  private final AlertRules rules;
  private final AlertEngine engine = new AlertEngine();
  private final AlertNotifier notifier;
  private final AlertMetrics metrics;

  /**
   * @param generatorUrl the link notifications carry when {@code generatorUrl} is not configured
   * @param database     the failover manager's view of the database, or null when it does not run
   */
  public Alerting(AlertOptions options, WebClient client, Supplier<String> generatorUrl,
                  Supplier<DatabaseHealth> database, MaintenanceBoard maintenance, MeterRegistry registry,
                  long timeoutMs) {
    this.options = options;
    this.rules = new AlertRules(options, database, maintenance);
    this.metrics = new AlertMetrics(registry);
    Supplier<String> link = options.generatorUrl() != null ? options::generatorUrl : generatorUrl;
    this.notifier = new AlertNotifier(client, options, link, metrics, timeoutMs);
  }

  /** After a round: the rules over every component's state and the balancer's traffic (null when not read). */
  public void evaluate(Collection<ComponentState> states, BalancerTraffic traffic, Instant now) {
    if (!options.enabled()) {
      return;
    }
    AlertEngine.Transitions transitions = engine.update(rules.evaluate(states, traffic, now), now);
    engine.firingByName().forEach(metrics::recordFiring);
    notifier.notify(transitions, engine.firing(), now);
  }

  /** Firing and pending alerts, then the recently resolved ones. */
  public JsonObject toJson() {
    return engine.toJson();
  }

  public void close() {
    metrics.close();
  }
}
