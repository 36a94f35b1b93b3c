package com.foobar.platform.common.db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The platform's one rule for who may write, from evidence only (no file, no name, no configuration order but as
 * the last tie-break). A pure function of the nodes' statuses, used by {@code scripts/mariadb-pair} (through
 * {@link RolesTool}), the monitor's failover manager and the application servers.
 *
 * <ol>
 *   <li>The latest promotion wins: the nodes that know the highest epoch ({@code foobar_ha.writer_epoch}) are
 *       the candidates. GTID containment alone cannot decide after an unplanned failover, when the old writer
 *       kept a tail the new one never received and the new one took writes the old one lacks: neither history
 *       contains the other, but only one of them was promoted last.</li>
 *   <li>Among them, the epoch's writer (the server the epoch's row names), or a node that holds all of its
 *       history plus more of that same server's transactions (received before the writer crashed and dropped
 *       them in recovery): the candidate whose history contains all the other candidates' is the writer.</li>
 *   <li>Every other node follows it, unless it holds transactions the writer's history lacks: its own writes
 *       (a privileged write on a fenced node), or, for a node of an older epoch, anything beyond the position
 *       from which the next epoch's writer took over. Those nodes are errant: never made writer, never wiped,
 *       never attached to the writer, until an operator rebuilds them.</li>
 * </ol>
 * When the candidates diverge (no one contains the others) there is no safe writer, and the reason says why.
 */
public final class Election {

  private Election() {
  }

  /** Decides from {@code members}; {@code preferred} (the current writer, or null) wins ties between equals. */
  public static ElectionResult decide(List<Member> members, String preferred) {
    return decide(members, preferred, null);
  }

  /**
   * As {@link #decide(List, String)}, but {@code forced} (an operator's choice, or null) is the writer whatever
   * the evidence; the other nodes are then judged against its history.
   */
  public static ElectionResult decide(List<Member> members, String preferred, String forced) {
    // A node whose promotions cannot be read while others' can is no evidence: it could know a later one.
    boolean epochsKnown = members.stream().anyMatch(m -> m.status().checked() && m.status().epochs() != null);
    List<Member> checked = members.stream().filter(member -> member.status().checked()
      && (!epochsKnown || member.status().epochs() != null)).toList();
    List<String> unknown = members.stream().filter(member -> !checked.contains(member)).map(Member::name).toList();
    if (checked.isEmpty()) {
      return ElectionResult.none("no database node could be checked", unknown);
    }
    Map<Long, WriterEpoch> promotions = new TreeMap<>();
    String conflict = collectPromotions(checked, promotions);
    if (conflict != null) {
      return ElectionResult.none(conflict, unknown);
    }
    long latest = checked.stream().mapToLong(member -> member.status().epoch()).max().orElse(-1);
    Member writer;
    String why;
    if (forced != null) {
      writer = checked.stream().filter(member -> member.name().equals(forced)).findFirst().orElse(null);
      if (writer == null) {
        return ElectionResult.none("the chosen writer " + forced + " cannot be checked", unknown);
      }
      why = forced + " chosen by the operator";
    } else {
      List<Member> top = checked.stream().filter(member -> member.status().epoch() == latest).toList();
      List<Member> candidates = lineage(top, promotions.get(latest));
      writer = head(candidates, preferred, promotions.get(latest));
      if (writer == null) {
        return ElectionResult.none(divergence(candidates, latest), unknown);
      }
      why = latest > 0
        ? writer.name() + " knows the latest promotion (epoch " + latest + ") and holds every transaction of the nodes"
          + " that know it"
        : "no promotion on record yet; " + writer.name() + " holds every transaction of the others";
    }
    return judge(checked, writer, why, latest, promotions, unknown);
  }

  /**
   * Every promotion any node knows of; a description of the conflict when two nodes know different promotions
   * under one epoch (two deciders promoted two nodes: a split brain to resolve by hand).
   */
  private static String collectPromotions(List<Member> checked, Map<Long, WriterEpoch> promotions) {
    for (Member member : checked) {
      if (member.status().epochs() == null) {
        continue;
      }
      for (WriterEpoch epoch : member.status().epochs()) {
        WriterEpoch known = promotions.putIfAbsent(epoch.epoch(), epoch);
        if (known != null && (known.serverId() != epoch.serverId() || !known.base().equals(epoch.base()))) {
          return "two different promotions are recorded as epoch " + epoch.epoch() + " (server " + known.serverId()
            + " and server " + epoch.serverId() + "): choose the writer by hand";
        }
      }
    }
    return null;
  }

  /**
   * The nodes of the latest epoch that carry its writer's history: the writer itself, and nodes holding all of
   * it plus only more of the writer's own transactions, or plus their own while they take writes (a promotion
   * nobody recorded, such as a hand-made one: its writes were acknowledged to clients, it is recorded now).
   * Without the writer among them (or before any epoch), all of them.
   */
  private static List<Member> lineage(List<Member> top, WriterEpoch promotion) {
    Member ref = promotion == null ? null : top.stream()
      .filter(member -> member.status().serverId() == promotion.serverId()).findFirst().orElse(null);
    if (ref == null) {
      return top;
    }
    List<Member> lineage = new ArrayList<>();
    lineage.add(ref);
    for (Member member : top) {
      GtidState history = member.status().history();
      if (member != ref && history.contains(ref.status().history()) && (member.status().writable()
        || history.missingFrom(ref.status().history()).stream().allMatch(r -> r.server() == promotion.serverId()))) {
        lineage.add(member);
      }
    }
    return lineage;
  }

  /** The candidate whose history contains every other candidate's; equals: the writable, the current writer, the epoch's. */
  private static Member head(List<Member> candidates, String preferred, WriterEpoch promotion) {
    List<Member> heads = candidates.stream().filter(candidate -> candidates.stream()
      .allMatch(other -> candidate.status().history().contains(other.status().history()))).toList();
    List<Member> writable = candidates.stream().filter(member -> member.status().writable()).toList();
    if (heads.isEmpty() && promotion == null && writable.size() == 1) {
      // No promotion on record to go by (epochs unreadable, or from before they were kept): the node that takes
      // the writes now is the writer, and whoever diverged from it is errant.
      return writable.get(0);
    }
    return heads.stream().min(Comparator
        .comparing((Member member) -> !member.status().writable())
        .thenComparing(member -> !member.name().equals(preferred))
        .thenComparing(member -> promotion == null || member.status().serverId() != promotion.serverId()))
      .orElse(null);
  }

  private static String divergence(List<Member> candidates, long latest) {
    StringBuilder text = new StringBuilder("no safe writer: the nodes that know the latest promotion (epoch ")
      .append(Math.max(latest, 0)).append(") diverge");
    for (Member member : candidates) {
      for (Member other : candidates) {
        List<GtidRange> extra = member.status().history().missingFrom(other.status().history());
        if (member != other && !extra.isEmpty()) {
          text.append("; ").append(member.name()).append(" holds ").append(ElectionResult.describe(extra))
            .append(" that ").append(other.name()).append(" lacks");
        }
      }
    }
    return text.append(": choose the writer by hand (the other node is then rebuilt from it)").toString();
  }

  /** Sorts the other checked nodes into followers and errant nodes, against the writer's history. */
  private static ElectionResult judge(List<Member> checked, Member writer, String why, long latest,
                                      Map<Long, WriterEpoch> promotions, List<String> unknown) {
    WriterEpoch current = promotions.get(latest);
    boolean promote = !writer.status().writable() || current == null || writer.status().epoch() < latest
      || current.serverId() != writer.status().serverId();
    long epoch = promote ? Math.max(latest, 0) + 1 : latest;
    GtidState base = writer.status().history().position();
    Map<Long, WriterEpoch> all = new TreeMap<>(promotions);
    if (promote) {
      all.put(epoch, new WriterEpoch(epoch, writer.status().serverId(), writer.name(), base));
    }
    List<Member> followers = new ArrayList<>();
    Map<String, List<GtidRange>> errant = new LinkedHashMap<>();
    for (Member member : checked) {
      if (member == writer) {
        continue;
      }
      List<GtidRange> extra = new ArrayList<>(member.status().history().missingFrom(writer.status().history()));
      long known = member.status().epoch();
      WriterEpoch next = known < 0 ? null : all.get(known + 1);
      // A node applying the writer's stream may show an epoch's transaction in its binlog state a moment before
      // the epoch's row is visible to a read: the fork is for nodes that do not follow the writer (and a node
      // only ever follows the writer after an election found it held nothing beyond the fork).
      if (next != null && !applies(member, writer)) {
        extra.addAll(member.status().history().beyond(next.base()));
      }
      if (extra.isEmpty()) {
        followers.add(member);
      } else {
        errant.put(member.name(), union(extra));
      }
    }
    return new ElectionResult(writer, why, promote, epoch, base, followers, errant, unknown);
  }

  /** Whether {@code member} applies what it fetches from {@code writer} without an error. */
  private static boolean applies(Member member, Member writer) {
    SlaveStatus slave = member.status().slave();
    return member.replicatesFrom(writer) && slave.sqlRunning() && slave.error() == null;
  }

  /** One range per (domain, server), the widest one. */
  private static List<GtidRange> union(List<GtidRange> ranges) {
    Map<List<Long>, GtidRange> merged = new TreeMap<>(Comparator.comparing((List<Long> key) -> key.get(0))
      .thenComparing(key -> key.get(1)));
    for (GtidRange range : ranges) {
      merged.merge(List.of(range.domain(), range.server()), range, (a, b) -> new GtidRange(a.domain(), a.server(),
        Math.min(a.from(), b.from()), Math.max(a.to(), b.to())));
    }
    return List.copyOf(merged.values());
  }
}
