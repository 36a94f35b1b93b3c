package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.db.ElectionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The failover manager's series (Prometheus adds {@code _total} to counters):
 * <ul>
 *   <li>{@code foobar_failovers_total}: promotions after a lost writer (automatic or forced by an operator);</li>
 *   <li>{@code foobar_switchovers_total}: planned changes of writer;</li>
 *   <li>{@code foobar_db_writer_epoch}: the writer's epoch (one per promotion, {@code foobar_ha.writer_epoch});</li>
 *   <li>{@code foobar_db_writer_semisync_active{node}}: 1 while the writer's commits wait for a replica's
 *       acknowledgement, 0 while it runs asynchronously (an acknowledged write may then exist on it alone);</li>
 *   <li>{@code foobar_db_errant_transactions{node}}: how many transactions the node holds that the writer's
 *       history lacks (0: none), and {@code foobar_db_errant_gtids{node,gtids}} = 1 naming them;</li>
 *   <li>{@code foobar_db_no_safe_writer}: 1 while no node may safely be made the writer (diverged nodes, or a
 *       lost writer that was last seen running asynchronously), 0 otherwise.</li>
 * </ul>
 * Every meter is removed on {@link #close()}: the registry outlives the manager.
 */
final class FailoverMetrics {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter failovers;
  private final Counter switchovers;
  private final AtomicLong epoch = new AtomicLong(-1);
  private final AtomicLong noSafeWriter = new AtomicLong();
  private final AtomicLong semiSync = new AtomicLong();
  private Gauge semiSyncGauge;
  private String semiSyncNode;
  private final Map<String, AtomicLong> errant = new HashMap<>();
  private final Map<String, Gauge> errantGauges = new HashMap<>();
  private final Map<String, Gauge> info = new HashMap<>();
  private final Map<String, String> infoGtids = new HashMap<>();

  FailoverMetrics(MeterRegistry registry) {
    this.registry = registry;
    failovers = add(Counter.builder("foobar_failovers").description("Promotions of a node after the writer was lost")
      .register(registry));
    switchovers = add(Counter.builder("foobar_switchovers").description("Planned changes of writer")
      .register(registry));
    add(Gauge.builder("foobar_db_writer_epoch", epoch, AtomicLong::get).strongReference(true)
      .description("The writer's epoch: one per promotion (foobar_ha.writer_epoch)").register(registry));
    add(Gauge.builder("foobar_db_no_safe_writer", noSafeWriter, AtomicLong::get).strongReference(true)
      .description("1 while no node may safely be made the writer").register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void failover() {
    failovers.increment();
  }

  void switchover() {
    switchovers.increment();
  }

  synchronized void writer(String node, long writerEpoch, Boolean acknowledged, boolean blocked) {
    epoch.set(writerEpoch);
    noSafeWriter.set(blocked ? 1 : 0);
    if (acknowledged == null) {
      return;
    }
    if (!node.equals(semiSyncNode)) {
      remove(semiSyncGauge);
      semiSyncNode = node;
      semiSyncGauge = add(Gauge.builder("foobar_db_writer_semisync_active", semiSync, AtomicLong::get)
        .strongReference(true).tag("node", node)
        .description("1 while the writer's commits wait for a replica's acknowledgement (semi-sync), 0 while"
          + " it runs asynchronously").register(registry));
    }
    semiSync.set(acknowledged ? 1 : 0);
  }

  /** The errant series of every managed node, from the last election; nodes no longer managed lose theirs. */
  synchronized void errant(List<String> managed, ElectionResult election) {
    for (String node : managed) {
      errant.computeIfAbsent(node, name -> {
        AtomicLong value = new AtomicLong();
        errantGauges.put(name, add(Gauge.builder("foobar_db_errant_transactions", value, AtomicLong::get)
          .strongReference(true).tag("node", name)
          .description("Transactions the node holds that the writer's history lacks").register(registry)));
        return value;
      }).set(election.errantCount(node));
      String gtids = election.isErrant(node) ? ElectionResult.describe(election.errant().get(node)) : null;
      if (!java.util.Objects.equals(gtids, infoGtids.get(node))) {
        remove(info.remove(node));
        infoGtids.remove(node);
        if (gtids != null) {
          infoGtids.put(node, gtids);
          info.put(node, add(Gauge.builder("foobar_db_errant_gtids", () -> 1).tag("node", node).tag("gtids", gtids)
            .description("1 for an errant node, naming the GTIDs only it holds").register(registry)));
        }
      }
    }
    Set<String> gone = new HashSet<>(errant.keySet());
    gone.removeAll(managed);
    for (String node : gone) {
      errant.remove(node);
      remove(errantGauges.remove(node));
      remove(info.remove(node));
      infoGtids.remove(node);
    }
  }

  private void remove(Meter meter) {
    if (meter != null) {
      registry.remove(meter);
      meters.remove(meter);
    }
  }

  synchronized void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
