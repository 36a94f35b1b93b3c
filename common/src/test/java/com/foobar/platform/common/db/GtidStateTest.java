package com.foobar.platform.common.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GtidStateTest {

  @Test
  void parsesWhatMariaDbPrintsAndPrintsItBack() {
    GtidState state = GtidState.parse("0-1-28,0-2-35");
    assertThat(state.toString()).isEqualTo("0-1-28,0-2-35");
    assertThat(GtidState.parse(" 0-2-35 ,\n0-1-28 ")).isEqualTo(state);
    assertThat(GtidState.parse("")).isEqualTo(GtidState.EMPTY);
    assertThat(GtidState.parse(null).isEmpty()).isTrue();
    assertThatThrownBy(() -> GtidState.parse("0-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GtidState.parse("a-b-c")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLaterGtidOfAPairWinsAndThePositionIsTheLastOfEachDomain() {
    GtidState merged = GtidState.parse("0-1-28,0-2-30").merge(GtidState.parse("0-2-35,1-3-4"));
    assertThat(merged.toString()).isEqualTo("0-1-28,0-2-35,1-3-4");
    assertThat(merged.position().toString()).isEqualTo("0-2-35,1-3-4");
    assertThat(merged.sequence(0)).isEqualTo(35);
    assertThat(merged.sequence(7)).isEqualTo(-1);
  }

  @Test
  void containmentIsDecidedServerByServer() {
    GtidState oldPrimary = GtidState.parse("0-1-30");
    GtidState promoted = GtidState.parse("0-1-28,0-2-35");
    assertThat(promoted.contains(oldPrimary)).isFalse();
    assertThat(oldPrimary.contains(promoted)).isFalse();
    assertThat(oldPrimary.missingFrom(promoted)).containsExactly(new GtidRange(0, 1, 29, 30));
    assertThat(promoted.missingFrom(oldPrimary)).as("after 0-1-28, which both hold").containsExactly(new GtidRange(0, 2, 29, 35));
    assertThat(GtidState.parse("0-2-5").missingFrom(GtidState.parse("0-1-9"))).containsExactly(new GtidRange(0, 2, 1, 5));
    assertThat(promoted.contains(GtidState.parse("0-1-28"))).isTrue();
    assertThat(promoted.contains(GtidState.EMPTY)).isTrue();
  }

  @Test
  void whatAHistoryHoldsBeyondAFork() {
    GtidState history = GtidState.parse("0-1-42,0-2-10");
    assertThat(history.beyond(GtidState.parse("0-2-40"))).containsExactly(new GtidRange(0, 1, 41, 42));
    assertThat(history.beyond(GtidState.parse("0-1-42"))).isEmpty();
    assertThat(GtidState.parse("1-1-3").beyond(GtidState.parse("0-1-42"))).containsExactly(new GtidRange(1, 1, 1, 3));
  }

  @Test
  void rangesNameTheirGtids() {
    assertThat(new GtidRange(0, 1, 29, 30)).hasToString("0-1-29..0-1-30");
    assertThat(new GtidRange(0, 1, 29, 30).count()).isEqualTo(2);
    assertThat(new GtidRange(0, 2, 7, 7)).hasToString("0-2-7");
  }
}
