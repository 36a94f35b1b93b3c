package com.foobar.platform.monitor.alert;

import com.foobar.platform.monitor.failover.DatabaseHealth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The durability rules, over what the failover manager saw ({@link DatabaseHealth}); names and severities are
 * {@link AlertCatalog}'s:
 * <ul>
 *   <li>FoobarErrantNode{node,gtids}: a node holds transactions the writer's history lacks (it is quarantined:
 *       rebuild it from the writer);</li>
 *   <li>FoobarWriterAsync{node}: the writer's semi-sync fell back to asynchronous replication: a write it
 *       acknowledges now may exist on it alone;</li>
 *   <li>FoobarFailover{node,epoch}: a failover happened (fires once per failover, for
 *       {@code failoverAlertSeconds});</li>
 *   <li>FoobarNoSafeWriter: no node may safely be made the writer (diverged nodes, or a held failover).</li>
 * </ul>
 */
final class DatabaseAlerts {

  static final String ERRANT_NODE = "FoobarErrantNode";
  static final String WRITER_ASYNC = "FoobarWriterAsync";
  static final String FAILOVER = "FoobarFailover";
  static final String NO_SAFE_WRITER = "FoobarNoSafeWriter";
  static final List<String> NAMES = List.of(ERRANT_NODE, WRITER_ASYNC, FAILOVER, NO_SAFE_WRITER);

  private DatabaseAlerts() {
  }

  /**
   * {@code consequence}: a database node is down or the database is in planned maintenance, so the writer running
   * asynchronously and a failover are what follows from that, and the node's own alert (or none) says it.
   */
  static void evaluate(DatabaseHealth health, AlertOptions options, Instant now, boolean consequence,
                       List<AlertCondition> found) {
    if (health == null) {
      return;
    }
    health.errant().forEach((node, gtids) -> found.add(AlertCondition.of(ERRANT_NODE,
      Map.of("node", node, "gtids", gtids), node + " holds transactions the writer lacks: " + gtids,
      node + " holds " + gtids + " that the writer " + health.writer() + " never had; it is fenced and kept out of"
        + " reads. Look at them (mariadb-binlog), then rebuild the node from the writer: ./foobar rebuild <node>",
      0)));
    if (Boolean.FALSE.equals(health.semiSyncActive()) && !consequence) {
      found.add(AlertCondition.of(WRITER_ASYNC, Map.of("node", health.writer()),
        "the writer " + health.writer() + " replicates asynchronously", "semi-sync fell back "
          + "(Rpl_semi_sync_master_status=OFF): a write acknowledged now may exist on " + health.writer()
          + " alone, and an automatic failover is held until a replica catches up", options.asyncForSeconds()));
    }
    for (DatabaseHealth.Failover failover : consequence ? List.<DatabaseHealth.Failover>of() : health.failovers()) {
      if (failover.at().plusSeconds(options.failoverAlertSeconds()).isAfter(now)) {
        found.add(AlertCondition.of(FAILOVER, Map.of("node", failover.node(),
            "epoch", Long.toString(failover.epoch())), "failover: " + failover.node() + " is the writer",
          failover.lost() + " was lost; " + failover.node() + " was promoted (epoch " + failover.epoch() + ") at "
            + failover.at() + ". Bring the old writer back: it rejoins, or is reported errant.", 0));
      }
    }
    if (health.noSafeWriter() != null) {
      found.add(AlertCondition.of(NO_SAFE_WRITER, Map.of(), "no database node may safely write",
        health.noSafeWriter(), 0));
    }
  }
}
