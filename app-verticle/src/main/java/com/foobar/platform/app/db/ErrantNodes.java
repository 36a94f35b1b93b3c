package com.foobar.platform.app.db;

import com.foobar.platform.common.db.Election;
import com.foobar.platform.common.db.ElectionResult;
import com.foobar.platform.common.db.Member;

import java.util.List;

/**
 * Which database nodes are errant, by the platform's one election ({@link Election}) over what the nodes hold: a
 * node with transactions the writer's history lacks (an old writer's unreplicated tail, a privileged write on a
 * fenced node) is kept out of every read, until an operator rebuilds it and it follows the writer again.
 */
final class ErrantNodes {

  private ErrantNodes() {
  }

  /**
   * Judges every node against a writable writer. While there is none (the writer down), each node keeps its
   * last verdict, so an errant node stays out of the stale-read fallback exactly when that fallback is used.
   */
  static void judge(List<DatabaseNode> nodes, DatabaseNode writer) {
    List<Member> members = nodes.stream().map(node -> new Member(node.name(), node.address(), node.status())).toList();
    ElectionResult election = Election.decide(members, writer.name());
    boolean evidence = election.hasWriter() && election.writer().status().writable();
    for (DatabaseNode node : nodes) {
      String verdict = node.state().errant();
      if (evidence && node.status().checked()) {
        verdict = election.isErrant(node.name()) ? ElectionResult.describe(election.errant().get(node.name())) : null;
      }
      node.judged(verdict);
    }
  }
}
