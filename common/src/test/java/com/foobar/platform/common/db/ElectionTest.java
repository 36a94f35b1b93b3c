package com.foobar.platform.common.db;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision from node statuses to writer, followers and errant nodes, in the GTID situations a primary/replica
 * pair goes through: server 1 is the "primary" node, server 2 the "replica" node, domain 0, strict mode.
 */
class ElectionTest {

  private static final WriterEpoch E1 = epoch(1, 1, "0-1-26");
  private static final WriterEpoch E2 = epoch(2, 2, "0-1-40");
  private static final WriterEpoch E3 = epoch(3, 1, "0-2-60");
  private static final WriterEpoch E4 = epoch(4, 2, "0-1-70");

  private static WriterEpoch epoch(long epoch, long server, String base) {
    return new WriterEpoch(epoch, server, server == 1 ? "primary" : "replica", GtidState.parse(base));
  }

  /** Newest first, as the reader returns them. */
  private static List<WriterEpoch> known(WriterEpoch... epochs) {
    List<WriterEpoch> list = new ArrayList<>(List.of(epochs));
    list.sort((a, b) -> Long.compare(b.epoch(), a.epoch()));
    return list;
  }

  private static Member node(String name, long server, boolean writable, String binlog, List<WriterEpoch> epochs) {
    return node(name, server, writable, binlog, "", epochs);
  }

  private static Member node(String name, long server, boolean writable, String binlog, String slavePos,
                             List<WriterEpoch> epochs) {
    return new Member(name, "127.0.0.1:" + (13305 + server), new NodeStatus(true, null, server, !writable,
      GtidState.parse(binlog), GtidState.parse(slavePos), GtidState.EMPTY, SlaveStatus.NONE, SemiSync.UNKNOWN,
      epochs));
  }

  /** A node applying from server {@code source}'s node. */
  private static Member following(String name, long server, long source, String binlog, List<WriterEpoch> epochs) {
    SlaveStatus slave = new SlaveStatus(true, "127.0.0.1", (int) (13305 + source), "Yes", "Yes", 0L, null, null, null);
    return new Member(name, "127.0.0.1:" + (13305 + server), new NodeStatus(true, null, server, true,
      GtidState.parse(binlog), GtidState.EMPTY, GtidState.EMPTY, slave, SemiSync.UNKNOWN, epochs));
  }

  private static Member down(String name) {
    return new Member(name, "127.0.0.1:1", NodeStatus.unreachable("Connection refused"));
  }

  private static ElectionResult decide(Member... members) {
    return Election.decide(List.of(members), null);
  }

  @Test
  void aFreshPairMakesTheBootstrappedPrimaryTheFirstWriter() {
    ElectionResult result = decide(node("primary", 1, false, "0-1-26", List.of()), node("replica", 2, false, "", List.of()));
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(result.promote()).isTrue();
    assertThat(result.epoch()).isEqualTo(1);
    assertThat(result.base()).hasToString("0-1-26");
    assertThat(result.followers()).extracting(Member::name).containsExactly("replica");
    assertThat(result.errant()).isEmpty();
  }

  @Test
  void aReplicaStillCatchingUpFollows() {
    ElectionResult result = decide(node("primary", 1, true, "0-1-40", known(E1)), node("replica", 2, false, "0-1-10", List.of()));
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(result.promote()).as("the writer of the latest epoch, writable: nothing to do").isFalse();
    assertThat(result.followers()).extracting(Member::name).containsExactly("replica");
  }

  @Test
  void afterAFailoverThePromotedNodeStaysTheWriterAndTheOldPrimaryFollows() {
    Member promoted = node("replica", 2, true, "0-1-40,0-2-55", known(E1, E2));
    Member oldPrimary = node("primary", 1, false, "0-1-40", known(E1));
    ElectionResult result = decide(oldPrimary, promoted);
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.promote()).isFalse();
    assertThat(result.followers()).extracting(Member::name).containsExactly("primary");
  }

  @Test
  void afterAFullStopTheNodeThatWasPromotedIsTheWriterAgainNotTheOneNamedPrimary() {
    ElectionResult result = decide(node("primary", 1, false, "0-1-40", known(E1)),
      node("replica", 2, false, "0-1-40,0-2-55", known(E1, E2)));
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.promote()).as("it was read-only: a new epoch").isTrue();
    assertThat(result.epoch()).isEqualTo(3);
    assertThat(result.followers()).extracting(Member::name).containsExactly("primary");
  }

  @Test
  void theOldPrimarysUnacknowledgedTailMakesItErrantAndTheEpochDecidesWhatContainmentCannot() {
    Member oldPrimary = node("primary", 1, false, "0-1-42", known(E1));
    Member promoted = node("replica", 2, false, "0-1-40,0-2-55", known(E1, E2));
    assertThat(oldPrimary.status().history().contains(promoted.status().history())).isFalse();
    assertThat(promoted.status().history().contains(oldPrimary.status().history())).isFalse();
    ElectionResult result = decide(oldPrimary, promoted);
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.followers()).isEmpty();
    assertThat(result.errant()).containsOnlyKeys("primary");
    assertThat(ElectionResult.describe(result.errant().get("primary"))).isEqualTo("0-1-41..0-1-42");
    assertThat(result.errantCount("primary")).isEqualTo(2);
  }

  @Test
  void withoutPromotionsOnRecordDivergedNodesHaveNoSafeWriter() {
    ElectionResult result = decide(node("primary", 1, false, "0-1-42", List.of()),
      node("replica", 2, false, "0-1-40,0-2-55", List.of()));
    assertThat(result.hasWriter()).isFalse();
    assertThat(result.reason()).contains("no safe writer").contains("primary holds 0-1-41..0-1-42")
      .contains("replica holds 0-2-41..0-2-55");
  }

  @Test
  void repeatedFailoversFollowTheLatestEpoch() {
    List<WriterEpoch> all = known(E1, E2, E3, E4);
    Member writer = node("replica", 2, true, "0-1-70,0-2-80", all);
    ElectionResult lagging = decide(node("primary", 1, false, "0-1-70,0-2-75", all), writer);
    assertThat(lagging.writer().name()).isEqualTo("replica");
    assertThat(lagging.followers()).extracting(Member::name).containsExactly("primary");

    ElectionResult behindAnEpoch = decide(node("primary", 1, false, "0-1-68,0-2-60", known(E1, E2, E3)), writer);
    assertThat(behindAnEpoch.followers()).extracting(Member::name).containsExactly("primary");

    ElectionResult tailAfterItsEpoch = decide(node("primary", 1, false, "0-1-72,0-2-60", known(E1, E2, E3)), writer);
    assertThat(tailAfterItsEpoch.errant()).containsOnlyKeys("primary");
    assertThat(ElectionResult.describe(tailAfterItsEpoch.errant().get("primary"))).isEqualTo("0-1-71..0-1-72");
  }

  @Test
  void aFollowerCaughtBetweenAnEpochsBinlogEntryAndItsRowIsNoFork() {
    // Its binlog state already shows the promotion's row 0-2-41, the row itself is not visible yet: epoch 1.
    Member writer = node("replica", 2, true, "0-1-40,0-2-45", known(E1, E2));
    ElectionResult result = decide(following("primary", 1, 2, "0-1-40,0-2-41", known(E1)), writer);
    assertThat(result.followers()).extracting(Member::name).containsExactly("primary");
    assertThat(decide(node("primary", 1, false, "0-1-40,0-2-41", known(E1)), writer).errant())
      .as("the same history, not following the writer: beyond the fork").containsOnlyKeys("primary");
  }

  @Test
  void aPrivilegedWriteOnAFencedReplicaIsErrantEvenWhenItsHistoryContainsTheWriters() {
    Member writer = node("primary", 1, true, "0-1-50", known(E1));
    Member replica = node("replica", 2, false, "0-1-50,0-2-51", known(E1));
    assertThat(replica.status().history().contains(writer.status().history())).isTrue();
    ElectionResult result = decide(writer, replica);
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(ElectionResult.describe(result.errant().get("replica"))).isEqualTo("0-2-51");

    ElectionResult afterFullStop = decide(node("primary", 1, false, "0-1-50", known(E1)), replica);
    assertThat(afterFullStop.writer().name()).as("the epoch's writer, not the node with more").isEqualTo("primary");
    assertThat(afterFullStop.errant()).containsOnlyKeys("replica");
  }

  @Test
  void bothDivergedInOneEpochTheEpochsWriterWins() {
    ElectionResult result = decide(node("primary", 1, false, "0-1-52", known(E1)),
      node("replica", 2, false, "0-1-50,0-2-51", known(E1)));
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(ElectionResult.describe(result.errant().get("replica"))).isEqualTo("0-2-51");
  }

  @Test
  void divergedNodesWithoutTheEpochsWriterHaveNoSafeWriter() {
    ElectionResult result = decide(down("primary"), node("replica", 2, false, "0-1-50,0-2-51", known(E1)),
      node("server-3", 3, false, "0-1-50,0-3-51", known(E1)));
    assertThat(result.hasWriter()).isFalse();
    assertThat(result.reason()).contains("diverge");
    assertThat(result.unknown()).containsExactly("primary");
  }

  @Test
  void aNodeHoldingMoreOfTheCrashedWritersOwnTransactionsIsTheBetterWriter() {
    // The writer crashed with a transaction the replica had received; recovery dropped it from the writer.
    ElectionResult result = decide(node("primary", 1, false, "0-1-40", known(E1)),
      node("replica", 2, false, "0-1-41", known(E1)));
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.promote()).isTrue();
    assertThat(result.epoch()).isEqualTo(2);
    assertThat(result.base()).hasToString("0-1-41");
    assertThat(result.followers()).extracting(Member::name).containsExactly("primary");
  }

  @Test
  void aSequenceReusedAfterTheWriterDroppedItsTailIsCaughtByTheFork() {
    // The primary came back alone without 0-1-41, was re-promoted at epoch 2 from 0-1-40 and wrote a new 0-1-41..45.
    WriterEpoch repromoted = epoch(2, 1, "0-1-40");
    ElectionResult result = decide(node("primary", 1, true, "0-1-45", known(E1, repromoted)),
      node("replica", 2, false, "0-1-41", known(E1)));
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(ElectionResult.describe(result.errant().get("replica"))).isEqualTo("0-1-41");
  }

  @Test
  void aRebuiltNodeWithAnEmptyBinlogButAReplicationPositionFollows() {
    List<WriterEpoch> all = known(E1, E2, E3);
    Member writer = node("primary", 1, true, "0-1-70,0-2-60", all);
    Member rebuilt = node("replica", 2, false, "", "0-1-65", all);
    ElectionResult result = decide(writer, rebuilt);
    assertThat(result.followers()).extracting(Member::name).containsExactly("replica");
    assertThat(rebuilt.status().history().position()).hasToString("0-1-65");

    Member rebuiltAhead = node("replica", 2, false, "", "0-1-75", all);
    assertThat(decide(writer, rebuiltAhead).errant()).containsOnlyKeys("replica");
  }

  @Test
  void twoDifferentPromotionsUnderOneEpochAreASplitBrain() {
    ElectionResult result = decide(node("primary", 1, true, "0-1-41", known(E1, epoch(2, 1, "0-1-40"))),
      node("replica", 2, true, "0-1-40,0-2-41", known(E1, E2)));
    assertThat(result.hasWriter()).isFalse();
    assertThat(result.reason()).contains("epoch 2");
  }

  @Test
  void anOperatorsChoiceIsTheWriterAndTheOtherIsJudgedAgainstIt() {
    Member primary = node("primary", 1, false, "0-1-42", List.of());
    Member replica = node("replica", 2, false, "0-1-40,0-2-55", List.of());
    ElectionResult result = Election.decide(List.of(primary, replica), null, "replica");
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.epoch()).isEqualTo(1);
    assertThat(ElectionResult.describe(result.errant().get("primary"))).isEqualTo("0-1-41..0-1-42");
    assertThat(Election.decide(List.of(primary, down("replica")), null, "replica").hasWriter()).isFalse();
  }

  @Test
  void aWriterPromotedWithoutARecordKeepsWritingAndGetsItsEpoch() {
    // Made writable by hand (or by a manager from before the epochs): it took writes, clients were told yes.
    Member primary = node("primary", 1, false, "0-1-50", known(E1));
    Member replica = node("replica", 2, true, "0-1-50,0-2-58", known(E1));
    ElectionResult result = decide(primary, replica);
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.promote()).as("recorded as epoch 2 now").isTrue();
    assertThat(result.epoch()).isEqualTo(2);
    assertThat(result.followers()).extracting(Member::name).containsExactly("primary");
  }

  @Test
  void equalsAreBrokenByWritabilityThenTheCurrentWriterThenTheEpochsWriter() {
    Member primary = node("primary", 1, false, "0-1-40", known(E1, E2));
    Member replica = node("replica", 2, false, "0-1-40", known(E1, E2));
    assertThat(Election.decide(List.of(primary, replica), "primary").writer().name()).isEqualTo("primary");
    assertThat(decide(primary, replica).writer().name()).as("epoch 2's writer").isEqualTo("replica");
    Member writablePrimary = node("primary", 1, true, "0-1-40", known(E1, E2));
    assertThat(Election.decide(List.of(writablePrimary, replica), "replica").writer().name()).isEqualTo("primary");
    Member writableReplica = node("replica", 2, true, "0-1-40", known(E1, E2));
    assertThat(Election.decide(List.of(writablePrimary, writableReplica), "primary").writer().name())
      .as("two writable: the current writer; the other is fenced").isEqualTo("primary");
  }

  @Test
  void withEpochsUnreadableContainmentStillDecides() {
    ElectionResult result = decide(node("primary", 1, true, "0-1-40", null), node("replica", 2, false, "0-1-38", null));
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(result.followers()).extracting(Member::name).containsExactly("replica");
    ElectionResult diverged = decide(node("primary", 1, true, "0-1-40", null),
      node("replica", 2, false, "0-1-38,0-2-39", null));
    assertThat(diverged.writer().name()).as("the node taking the writes, with nothing on record").isEqualTo("primary");
    assertThat(ElectionResult.describe(diverged.errant().get("replica"))).isEqualTo("0-2-39");
    assertThat(decide(node("primary", 1, false, "0-1-40", null), node("replica", 2, false, "0-1-38,0-2-39", null))
      .hasWriter()).isFalse();
  }

  @Test
  void aNodeWhoseEpochsCouldNotBeReadWhileOthersCouldIsNoEvidence() {
    ElectionResult result = decide(node("primary", 1, true, "0-1-40", null), node("replica", 2, false, "0-1-40", known(E1)));
    assertThat(result.unknown()).containsExactly("primary");
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.followers()).as("the unknown node is not judged").isEmpty();
  }

  @Test
  void aStaleWritableNodeIsNotTheWriter() {
    ElectionResult result = decide(node("primary", 1, true, "0-1-40", known(E1)),
      node("replica", 2, true, "0-1-40,0-2-50", known(E1, E2)));
    assertThat(result.writer().name()).isEqualTo("replica");
    assertThat(result.followers()).extracting(Member::name).containsExactly("primary");
  }

  @Test
  void nodesThatCannotBeCheckedAreNeitherFollowersNorErrant() {
    ElectionResult result = decide(node("primary", 1, true, "0-1-40", known(E1)), down("replica"));
    assertThat(result.writer().name()).isEqualTo("primary");
    assertThat(result.followers()).isEmpty();
    assertThat(result.unknown()).containsExactly("replica");
    assertThat(decide(down("primary"), down("replica")).hasWriter()).isFalse();
    Member refused = new Member("replica", "x:1", NodeStatus.unreadable("Access denied"));
    assertThat(decide(node("primary", 1, true, "0-1-40", known(E1)), refused).unknown()).containsExactly("replica");
  }
}
