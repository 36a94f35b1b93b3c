package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.db.Election;
import com.foobar.platform.common.db.ElectionResult;
import com.foobar.platform.common.db.GtidState;
import com.foobar.platform.common.db.ReplicationSource;
import com.foobar.platform.common.db.SemiSync;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the failover manager does with one round's statuses, by the platform's one rule ({@link Election}):
 * <ul>
 *   <li>a healthy writer: every other node is read-only and follows it, except errant ones, which are
 *       quarantined (fenced, replication stopped) and reported until an operator rebuilds them;</li>
 *   <li>no node writable (a cold start, the writer restarted): the elected node is promoted, when every managed
 *       node could be checked (all the evidence) or it is the writer of the latest epoch seen;</li>
 *   <li>the writer unreachable for {@code failAfterMs}: a replica that followed it and knows its epoch is
 *       promoted, the most advanced first, after applying what it fetched. Not when the writer was last seen
 *       running asynchronously (semi-sync fallen back): the replicas may lack writes it acknowledged, so the
 *       failover is held and reported, and an operator either brings the writer back or forces the promotion
 *       knowingly ({@code POST /admin/failover}); its unreplicated tail is then quarantined, never discarded.</li>
 * </ul>
 * Every promotion is a new epoch recorded on the promoted node before it takes writes.
 */
final class RoleKeeper {

  private final List<ClusterNode> nodes;
  private final FailoverOptions options;
  private final ReplicationSource.Account account;
  private final FailoverEvents events;
  private final FailoverMetrics metrics;
  private final List<DatabaseHealth.Failover> failovers = new CopyOnWriteArrayList<>();
  private volatile ClusterNode writer;
  private volatile Instant writerLostAt;
  private volatile long epoch = -1;
  private volatile SemiSync writerSemiSync;
  private volatile ElectionResult election;
  private volatile String noSafeWriter;

  RoleKeeper(List<ClusterNode> nodes, FailoverOptions options, ReplicationSource.Account account,
             FailoverEvents events, FailoverMetrics metrics) {
    this.nodes = nodes;
    this.options = options;
    this.account = account;
    this.events = events;
    this.metrics = metrics;
    this.writer = nodes.get(0);
  }

  ClusterNode writer() {
    return writer;
  }

  long epoch() {
    return epoch;
  }

  Instant writerLostAt() {
    return writerLostAt;
  }

  ElectionResult election() {
    return election;
  }

  DatabaseHealth health() {
    ElectionResult last = election;
    java.util.Map<String, String> errant = new java.util.TreeMap<>();
    if (last != null) {
      last.errant().forEach((node, ranges) -> errant.put(node, ElectionResult.describe(ranges)));
    }
    SemiSync semiSync = writerSemiSync;
    return new DatabaseHealth(writer.name(), epoch, semiSync == null ? null : semiSync.acknowledged(), errant,
      noSafeWriter, List.copyOf(failovers));
  }

  /** Acts on the statuses the round read. Never fails. */
  Future<Void> act() {
    ElectionResult decided = Election.decide(nodes.stream().map(ClusterNode::member).toList(), writer.name());
    election = decided;
    metrics.errant(nodes.stream().map(ClusterNode::name).toList(), decided);
    if (writer.status().checked()) {
      seen(writer);
    }
    Future<Void> acted = decided.hasWriter() ? settle(decided)
      : writer.status().reachable() ? blocked(decided.reason()) : lost();
    return acted.onComplete(done -> metrics.writer(writer.name(), epoch,
      writerSemiSync == null ? null : writerSemiSync.acknowledged(), noSafeWriter != null));
  }

  private void seen(ClusterNode node) {
    if (node.status().writable()) {
      writerSemiSync = node.status().semiSync();
    }
    if (node.status().epoch() >= 0) {
      epoch = node.status().epoch();
    }
  }

  /** No node may be made the writer now: reported until that changes. */
  private Future<Void> blocked(String reason) {
    noSafeWriter = reason;
    events.ongoing("writer", "no-safe-writer", null, reason);
    return Future.succeededFuture();
  }

  private Future<Void> settle(ElectionResult decided) {
    ClusterNode elected = node(decided.writer().name());
    if (!writer.status().reachable() && elected == writer) {
      return lost();
    }
    if (!writer.status().reachable() && !elected.status().writable()) {
      // The known writer is gone and the election only saw the others: that is the failover's decision.
      return lost();
    }
    writerLostAt = null;
    events.ended("lost");
    if (elected.status().writable()) {
      adopt(elected, "is the writer (writable, and the election's choice)");
      // A writer nobody recorded (made writable by hand, or by a manager from before the epochs): record it now,
      // so that the next election knows its writes are the history.
      Future<Void> recorded = decided.promote()
        ? promote(elected, decided, "recorded", "writable without a recorded promotion") : Future.succeededFuture();
      return recorded.compose(done -> keep(decided));
    }
    boolean allChecked = decided.unknown().isEmpty();
    if (!allChecked && !(elected == writer && elected.status().epoch() >= epoch)) {
      return blocked("no node is writable and " + String.join(", ", decided.unknown()) + " cannot be checked:"
        + " waiting for every node before electing one (or POST /admin/failover to choose)");
    }
    return promote(elected, decided, "elected", decided.reason());
  }

  private void adopt(ClusterNode elected, String why) {
    noSafeWriter = null;
    events.ended("writer");
    if (elected != writer) {
      writer = elected;
      events.record("writer", elected.name(), why);
    }
  }

  /** The steady state: errant nodes quarantined, everyone else read-only and following the writer. */
  private Future<Void> keep(ElectionResult decided) {
    Future<Void> chain = Future.succeededFuture();
    for (ClusterNode node : nodes) {
      if (node == writer || !node.status().checked()) {
        continue;
      }
      if (decided.isErrant(node.name())) {
        chain = chain.compose(done -> quarantine(node, decided));
      } else {
        events.ended("errant-" + node.name());
        if (node.status().writable() || !node.member().replicatesFrom(writer.member())
          || (!node.follows(writer) && node.status().slave().error() == null)) {
          chain = chain.compose(done -> rejoin(node));
        } else if (!node.follows(writer)) {
          events.ongoing("broken-" + node.name(), "replication-broken", node.name(), node.status().slave().error()
            + " (kept read-only; if it persists, rebuild the node from the writer)");
        }
      }
    }
    return chain;
  }

  private Future<Void> quarantine(ClusterNode node, ElectionResult decided) {
    String gtids = ElectionResult.describe(decided.errant().get(node.name()));
    events.ongoing("errant-" + node.name(), "errant", node.name(), "holds " + gtids + " that the writer "
      + writer.name() + " lacks: fenced, not replicating, kept for an operator to rebuild it from the writer");
    boolean active = node.status().writable() || node.status().slave().ioRunning() || node.status().slave().sqlRunning();
    return active ? node.quarantine().otherwiseEmpty() : Future.succeededFuture();
  }

  private Future<Void> rejoin(ClusterNode node) {
    boolean wasWritable = node.status().writable();
    events.ended("broken-" + node.name());
    return node.follow(writer, account)
      .onSuccess(done -> events.record(wasWritable ? "fenced" : "rejoined", node.name(),
        "replicates from " + writer.name()))
      .recover(failure -> node.fence().onComplete(f -> events.record("fenced", node.name(), failure.getMessage())));
  }

  /** The writer is unreachable: after {@code failAfterMs}, promote a replica that followed it, if that is safe. */
  private Future<Void> lost() {
    if (writerLostAt == null) {
      writerLostAt = Instant.now();
      events.record("writer-lost", writer.name(), writer.status().error());
    }
    long downMs = Instant.now().toEpochMilli() - writerLostAt.toEpochMilli();
    if (!options.enabled() || downMs < options.failAfterMs()) {
      return Future.succeededFuture();
    }
    if (writerSemiSync == null || !writerSemiSync.acknowledged()) {
      String why = writerSemiSync == null ? "it was not seen writing since the monitor started"
        : "it was last seen running asynchronously (semi-sync fell back): a replica may lack writes it acknowledged";
      return blocked("failover held: the writer " + writer.name() + " is unreachable and " + why + "; bring it back,"
        + " or force the promotion with POST /admin/failover {\"target\": \"<node>\"} (its unreplicated tail is then"
        + " quarantined on it, not discarded)");
    }
    ClusterNode candidate = nodes.stream()
      .filter(n -> n != writer && n.status().checked() && n.member().replicatesFrom(writer.member())
        && n.status().epoch() >= epoch && (election == null || !election.isErrant(n.name())))
      .max(Comparator.comparingLong(n -> received(n).position().gtids().stream().mapToLong(g -> g.sequence()).sum()))
      .orElse(null);
    if (candidate == null) {
      return blocked("the writer " + writer.name() + " is unreachable and no replica that followed it can be checked");
    }
    return promote(candidate, null, "failover", "promoted; " + writer.name() + " was unreachable");
  }

  /** What a replica holds or has fetched: its history plus its IO thread's position. */
  private static GtidState received(ClusterNode node) {
    String io = node.status().slave().gtidIoPos();
    return node.status().history().merge(GtidState.parse(io));
  }

  /**
   * Promotes {@code node} to the next epoch: a failover (after a lost writer) applies what it fetched first; a
   * cold election promotes a node that is complete already. Failure leaves it read-only; the next try comes
   * after another full wait.
   */
  Future<Void> promote(ClusterNode node, ElectionResult decided, String kind, String detail) {
    ClusterNode lost = writer;
    long next = Math.max(epoch, nodes.stream().mapToLong(n -> n.status().epoch()).max().orElse(0)) + 1;
    GtidState mustReach = decided == null ? GtidState.parse(node.status().slave().gtidIoPos()) : GtidState.EMPTY;
    return node.promote(next, mustReach, options.catchUpSeconds())
      .onSuccess(done -> {
        writer = node;
        epoch = next;
        writerLostAt = null;
        writerSemiSync = null;
        noSafeWriter = null;
        events.ended("writer");
        events.ended("lost");
        if (kind.endsWith("failover")) {
          metrics.failover();
          failovers.add(new DatabaseHealth.Failover(next, node.name(), lost.name(), Instant.now()));
        }
        events.record(kind, node.name(), detail + " (epoch " + next + ")");
      })
      .recover(failure -> {
        writerLostAt = writerLostAt == null ? null : Instant.now();
        events.record(kind + "-failed", node.name(), failure.getMessage());
        return Future.succeededFuture();
      });
  }

  /** After a switchover: the target is the writer of {@code next}. */
  void switchedTo(ClusterNode node, long next) {
    writer = node;
    epoch = next;
    writerSemiSync = null;
  }

  ClusterNode node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
  }
}
