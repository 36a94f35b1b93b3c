package com.foobar.platform.lb.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * The deployment's firewall ({@link Firewall}, one client table per process) and its replacement by a reload:
 * a reload that changes the rules swaps in a new table (client counters start afresh), while each open connection
 * is released to the table that counted it. A periodic sweep forgets idle clients.
 */
public final class Firewalls {

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final long sweeper;
  private volatile FirewallOptions options;
  /** Replaced whole when a reload changes the rules. */
  private volatile Firewall current;

  public Firewalls(Vertx vertx, FirewallOptions options, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
    this.options = options;
    this.current = new Firewall(options, registry);
    // The client table forgets idle clients; a tenth of the expiry keeps it close to the bound.
    this.sweeper = vertx.setPeriodic(Math.max(1000, options.expireMs() / 10), id -> {
      Firewall now = current;
      if (now.tracksClients()) {
        now.sweep();
      }
    });
  }

  Firewall current() {
    return current;
  }

  /** A reload's rules: a new table when they changed, else the running one stays. */
  public void reconfigure(FirewallOptions next) {
    if (options.toJson().equals(next.toJson())) {
      return;
    }
    // The old table's gauge goes first, or the registry would keep reporting the old table's size.
    current.close();
    current = new Firewall(next, registry);
    options = next;
  }

  public void close() {
    vertx.cancelTimer(sweeper);
    current.close();
  }
}
