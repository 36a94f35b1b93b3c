package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.db.NodeStatus;
import com.foobar.platform.common.db.SlaveStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationHealthTest {

  /** As the platform's parser of SHOW SLAVE STATUS gives it (blank errors are null). */
  private static SlaveStatus status(String io, String sql, Long lag, String ioError, String sqlError) {
    return new SlaveStatus(true, "10.0.0.11", 3306, io, sql, lag, "0-1-42", ioError, sqlError);
  }

  @Test
  void bothThreadsRunningWithinTheLagLimitIsHealthy() {
    assertThat(ReplicationHealth.problem(status("Yes", "Yes", 0L, null, null), 5)).isNull();
    assertThat(ReplicationHealth.problem(status("Yes", "Yes", 5L, null, null), 5)).isNull();
  }

  @Test
  void aNullLagIsAnOutageNotZero() {
    assertThat(ReplicationHealth.problem(status("Yes", "Yes", null, null, null), 5))
      .contains("Seconds_Behind_Master is NULL");
  }

  @Test
  void lagBeyondTheLimitIsDown() {
    assertThat(ReplicationHealth.problem(status("Yes", "Yes", 6L, null, null), 5)).isEqualTo("lag 6 s exceeds 5 s");
  }

  @Test
  void aStoppedOrConnectingThreadIsDownWithItsError() {
    assertThat(ReplicationHealth.problem(status("Connecting", "Yes", null, "error connecting to master", null), 5))
      .isEqualTo("IO thread Connecting, SQL thread Yes; IO error: error connecting to master");
    assertThat(ReplicationHealth.problem(status("Yes", "No", null, null, "Duplicate entry"), 5))
      .isEqualTo("IO thread Yes, SQL thread No; SQL error: Duplicate entry");
  }

  @Test
  void noReplicationOrAnUnreadableStateIsDown() {
    assertThat(ReplicationHealth.problem(SlaveStatus.NONE, 5)).contains("not configured");
    NodeStatus refused = NodeStatus.unreadable("x").withError("SHOW SLAVE STATUS failed: Access denied");
    assertThat(ReplicationHealth.problem(refused, 5)).isEqualTo("SHOW SLAVE STATUS failed: Access denied");
  }

  @Test
  void jsonCarriesThreadsLagErrorsAndTheLimit() {
    assertThat(ReplicationHealth.detail(status("Yes", "No", null, null, "boom"), 5).getMap())
      .containsEntry("ioThread", "Yes").containsEntry("sqlThread", "No")
      .containsEntry("secondsBehindMaster", null).containsEntry("lastIoError", null)
      .containsEntry("lastSqlError", "boom").containsEntry("gtidIoPos", "0-1-42").containsEntry("maxLagSeconds", 5L);
  }
}
