package com.foobar.platform.common.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settles the roles of a set of nodes once, from evidence ({@link Election}): errant nodes are quarantined,
 * the others follow the writer, the writer is promoted (a new epoch) when it was not writing already, and then
 * every follower is waited for until it holds the writer's position. What {@code scripts/mariadb-pair up} runs
 * after starting the nodes (through {@link RolesTool}); the monitor's failover manager applies the same election
 * round after round.
 */
final class RoleSettlement {

  /** What happened to one node. */
  record Outcome(String role, Member member, String detail) {
  }

  private final Vertx vertx;
  private final Map<String, Pool> pools;
  private final ReplicationSource.Account replication;
  private final long waitMs;

  RoleSettlement(Vertx vertx, Map<String, Pool> pools, ReplicationSource.Account replication, long waitMs) {
    this.vertx = vertx;
    this.pools = pools;
    this.replication = replication;
    this.waitMs = waitMs;
  }

  /**
   * Reads every node, the writable ones once more after the others (a follower may apply what the writer
   * committed after it was read, and would then seem to hold more than the writer); the members in the given order.
   */
  Future<List<Member>> check(Map<String, String> addresses) {
    List<Future<Member>> checks = new ArrayList<>();
    addresses.forEach((name, address) -> checks.add(NodeStatusReader.check(pools.get(name))
      .map(status -> new Member(name, address, status))));
    return Future.all(checks).map(all -> all.<Member>list()).compose(members -> {
      List<Future<Member>> again = new ArrayList<>();
      members.forEach(member -> again.add(!member.status().writable() ? Future.succeededFuture(member)
        : NodeStatusReader.check(pools.get(member.name())).map(status -> new Member(member.name(), member.address(), status))));
      return Future.all(again).map(all -> all.<Member>list());
    });
  }

  /** Acts on an election: quarantine, follow, promote, wait. Fails when a follower does not catch up. */
  Future<List<Outcome>> apply(ElectionResult election) {
    Member writer = election.writer();
    List<Outcome> outcomes = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<GtidRange>> errant : election.errant().entrySet()) {
      chain = chain.compose(done -> pools.get(errant.getKey()).withConnection(NodeControl::quarantine))
        .onSuccess(done -> outcomes.add(new Outcome("errant", member(election, errant.getKey()),
          "holds " + ElectionResult.describe(errant.getValue()) + " that the writer's history lacks: fenced,"
            + " replication stopped; rebuild it from the writer")));
    }
    ReplicationSource source = replication.from(writer);
    for (Member follower : election.followers()) {
      chain = chain.compose(done -> follows(follower, writer)
        ? Future.<Void>succeededFuture()
        : pools.get(follower.name()).withConnection(c -> NodeControl.follow(c, source)))
        .onSuccess(done -> outcomes.add(new Outcome("follower", follower, "replicates from " + writer.name())));
    }
    // Followers first, connected: the promotion's own row is then acknowledged by a replica (semi-sync), and the
    // writer starts out acknowledged rather than fallen back to asynchronous replication.
    if (election.promote()) {
      chain = chain.compose(done -> connected(election.followers()))
        .compose(done -> pools.get(writer.name()).withConnection(c ->
          NodeControl.promote(c, election.epoch(), writer.name(), election.base())));
    }
    String how = election.promote() ? "promoted now to epoch " + election.epoch() : "writer of epoch " + election.epoch();
    return chain.compose(done -> caughtUp(election))
      .map(done -> {
        outcomes.add(0, new Outcome("writer", writer, how + ": " + election.reason()));
        return outcomes;
      });
  }

  /** Waits (at most 5 s) until every follower's IO thread runs; a follower that does not connect is reported later. */
  private Future<Void> connected(List<Member> followers) {
    List<Future<Void>> waits = new ArrayList<>();
    for (Member follower : followers) {
      waits.add(pools.get(follower.name()).withConnection(c -> ioRunning(c, System.nanoTime() + 5_000_000_000L)));
    }
    return Future.join(waits).otherwiseEmpty().mapEmpty();
  }

  private Future<Void> ioRunning(io.vertx.sqlclient.SqlConnection c, long deadline) {
    return NodeStatusReader.read(c).compose(status -> {
      if (status.slave().ioRunning() || System.nanoTime() > deadline) {
        return Future.succeededFuture();
      }
      io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
      vertx.setTimer(50, id -> ioRunning(c, deadline).onComplete(later));
      return later.future();
    });
  }

  /** Already fetching from the writer with no error: left alone, so a settled pair is not disturbed. */
  private static boolean follows(Member follower, Member writer) {
    SlaveStatus slave = follower.status().slave();
    return follower.replicatesFrom(writer) && follower.status().readOnly() && slave.sqlRunning()
      && (slave.ioRunning() || "Connecting".equals(slave.ioThread())) && slave.error() == null;
  }

  private static Member member(ElectionResult election, String name) {
    return election.followers().stream().filter(m -> m.name().equals(name)).findFirst()
      .orElse(new Member(name, "", NodeStatus.unreachable("errant")));
  }

  /** Every follower holds the writer's position (with the promotion's row), within the wait. */
  private Future<Void> caughtUp(ElectionResult election) {
    if (election.followers().isEmpty()) {
      return Future.succeededFuture();
    }
    return pools.get(election.writer().name()).withConnection(c -> c.query("SELECT @@gtid_binlog_pos").execute())
      .map(rows -> GtidState.parse(rows.iterator().next().getString(0)))
      .compose(target -> {
        List<Future<Void>> waits = new ArrayList<>();
        election.followers().forEach(follower -> waits.add(pools.get(follower.name()).withConnection(c ->
          NodeControl.caughtUp(vertx, c, target, waitMs)
            .recover(failure -> replicationError(c, follower, failure)))));
        return Future.all(waits).mapEmpty();
      });
  }

  /** Says why a follower did not catch up: its replication error when it has one. */
  private static Future<Void> replicationError(io.vertx.sqlclient.SqlConnection c, Member follower, Throwable failure) {
    return NodeStatusReader.read(c).transform(read -> {
      String error = read.succeeded() ? read.result().slave().error() : null;
      return Future.failedFuture(follower.name() + ": " + (error != null ? error : failure.getMessage()));
    });
  }
}
