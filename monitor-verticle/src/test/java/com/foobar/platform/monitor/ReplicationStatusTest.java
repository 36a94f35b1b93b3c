package com.foobar.platform.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationStatusTest {

  private static ReplicationStatus status(String io, String sql, Long lag, String ioError, String sqlError) {
    return new ReplicationStatus(true, io, sql, lag, ioError, sqlError, "0-1-42", null);
  }

  @Test
  void bothThreadsRunningWithinTheLagLimitIsHealthy() {
    assertThat(status("Yes", "Yes", 0L, "", "").problem(5)).isNull();
    assertThat(status("Yes", "Yes", 5L, "", "").problem(5)).isNull();
  }

  @Test
  void aNullLagIsAnOutageNotZero() {
    assertThat(status("Yes", "Yes", null, "", "").problem(5)).contains("Seconds_Behind_Master is NULL");
  }

  @Test
  void lagBeyondTheLimitIsDown() {
    assertThat(status("Yes", "Yes", 6L, "", "").problem(5)).isEqualTo("lag 6 s exceeds 5 s");
  }

  @Test
  void aStoppedOrConnectingThreadIsDownWithItsError() {
    assertThat(status("Connecting", "Yes", null, "error connecting to master", "").problem(5))
      .isEqualTo("IO thread Connecting, SQL thread Yes; IO error: error connecting to master");
    assertThat(status("Yes", "No", null, "", "Duplicate entry").problem(5))
      .isEqualTo("IO thread Yes, SQL thread No; SQL error: Duplicate entry");
  }

  @Test
  void noReplicationOrAnUnreadableStateIsDown() {
    assertThat(new ReplicationStatus(false, null, null, null, null, null, null, null).problem(5))
      .contains("not configured");
    assertThat(ReplicationStatus.unreadable("Access denied").problem(5))
      .isEqualTo("SHOW SLAVE STATUS failed: Access denied");
  }

  @Test
  void jsonCarriesThreadsLagAndErrors() {
    assertThat(status("Yes", "No", null, "", "boom").toJson().getMap())
      .containsEntry("ioThread", "Yes").containsEntry("sqlThread", "No")
      .containsEntry("secondsBehindMaster", null).containsEntry("lastIoError", null)
      .containsEntry("lastSqlError", "boom").containsEntry("gtidIoPos", "0-1-42");
  }
}
