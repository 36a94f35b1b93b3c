package com.foobar.platform.monitor.maintenance;

import com.foobar.platform.monitor.probe.Component;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What is in planned maintenance now, from two sources: the balancer's operator states (a backend in DRAIN or
 * MAINT puts its server in maintenance, read every round by {@link BalancerMaintenance}; that is also what
 * {@code ./foobar restart app-N} does first), and the monitor's own planned operations (a switchover puts every
 * database and replication component in maintenance until it has settled). A crash is none of these, so it pages.
 * Exported as {@code foobar_maintenance{component,kind}} (1 or 0, every component), which the Prometheus rules of
 * {@code conf/alerts.yml} use as the built-in rules use this board. Only touched on the monitor's event loop.
 */
public final class MaintenanceBoard {

  private final List<Component> components;
  private final List<Gauge> gauges = new ArrayList<>();
  private final MeterRegistry registry;
  private Map<String, Maintenance> servers = Map.of();
  private Maintenance database;
  /** When the database's maintenance ends; null while its operation runs. */
  private Instant databaseUntil;

  public MaintenanceBoard(List<Component> components, MeterRegistry registry) {
    this.components = List.copyOf(components);
    this.registry = registry;
    for (Component component : this.components) {
      gauges.add(Gauge.builder("foobar_maintenance", this, board -> board.of(component, Instant.now()) == null ? 0 : 1)
        .description("1 while the component is in planned maintenance (drained, in MAINT, restarting, switching over)")
        .tags(Tags.of("component", component.name(), "kind", component.kind()))
        .register(registry));
    }
  }

  /** The servers the balancer holds out of service by an operator's word, by component name; replaces the last. */
  public void serversAtTheBalancer(Map<String, Maintenance> found) {
    servers = Map.copyOf(found);
  }

  /** A planned operation on the database begins (a switchover): every database component is in maintenance. */
  public void databaseBegins(String what, String by) {
    database = new Maintenance(what, by, Instant.now());
    databaseUntil = null;
  }

  /** The operation is over; its consequences (replication restarting, roles moving) settle until {@code until}. */
  public void databaseEnds(Instant until) {
    databaseUntil = until;
  }

  /** The component's maintenance now, or null. */
  public Maintenance of(Component component, Instant now) {
    if (component.isDatabase() || component.isReplication()) {
      return databaseInMaintenance(now) ? database : null;
    }
    return servers.get(component.name());
  }

  /** Whether a planned operation on the database runs or settles now. */
  public boolean databaseInMaintenance(Instant now) {
    return database != null && (databaseUntil == null || now.isBefore(databaseUntil));
  }

  /** Each component in maintenance now, by name. */
  public JsonObject toJson(Instant now) {
    JsonObject json = new JsonObject();
    for (Component component : components) {
      Maintenance maintenance = of(component, now);
      if (maintenance != null) {
        json.put(component.name(), maintenance.toJson());
      }
    }
    return json;
  }

  public void close() {
    gauges.forEach(registry::remove);
  }
}
