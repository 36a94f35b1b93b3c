package com.foobar.platform.monitor.probe;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database probe on a real pair names nodes by what they do, not by where the configuration put them: after a
 * change of writer, {@code primary} is the node that accepts writes and is up, and the old writer is
 * {@code replica-1}; with two writable nodes nothing moves and the replica carries the warning.
 */
class DatabaseProbeTest {

  private static MariaDbPair pair;
  private static Vertx vertx;
  private static DatabaseProbe probe;

  @BeforeAll
  static void start() {
    pair = MariaDbPair.isolated();
    vertx = Vertx.vertx();
    probe = new DatabaseProbe(vertx, List.of(connect(pair.primaryPort()), connect(pair.replicaPort())), 2000, 30);
  }

  @AfterAll
  static void stop() {
    if (probe != null) {
      Await.result(probe.close());
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
    pair.destroy();
  }

  private static MySQLConnectOptions connect(int port) {
    return new MySQLConnectOptions().setHost("127.0.0.1").setPort(port).setUser("foobar_monitor")
      .setPassword(pair.password("monitor"));
  }

  private static Map<String, Observation> round() {
    return Await.result(probe.run());
  }

  private static String address(Observation observation) {
    return observation.detail().getString("address");
  }

  @Test
  void thePrimaryIsTheWritableNodeWhereverTheConfigurationPutIt() {
    Map<String, Observation> before = round();
    assertThat(before.get("primary").up()).as("primary before").isTrue();
    assertThat(address(before.get("primary"))).isEqualTo("127.0.0.1:" + pair.primaryPort());
    assertThat(before.get("replication-replica-1").up()).as(before.get("replication-replica-1").error()).isTrue();

    // The writer changes hands as a switchover leaves it: the old one read-only, the other writable.
    pair.sql("primary", "SET GLOBAL read_only = 1");
    pair.sql("replica", "SET GLOBAL read_only = 0");
    try {
      Map<String, Observation> after = round();
      assertThat(after.get("primary").up()).as(String.valueOf(after.get("primary").error())).isTrue();
      assertThat(address(after.get("primary"))).isEqualTo("127.0.0.1:" + pair.replicaPort());
      assertThat(address(after.get("replica-1"))).isEqualTo("127.0.0.1:" + pair.primaryPort());
      assertThat(after.get("replica-1").up()).isTrue();
      assertThat(after.get("replica-1").warning()).isNull();

      // Two writable nodes: nobody moves, the replica is flagged.
      pair.sql("primary", "SET GLOBAL read_only = 0");
      Map<String, Observation> forked = round();
      assertThat(address(forked.get("primary"))).isEqualTo("127.0.0.1:" + pair.replicaPort());
      assertThat(forked.get("replica-1").warning()).isEqualTo(DatabaseProbe.WRITABLE);
    } finally {
      pair.sql("replica", "SET GLOBAL read_only = 1");
      pair.sql("primary", "SET GLOBAL read_only = 0");
    }
    Map<String, Observation> back = round();
    assertThat(address(back.get("primary"))).isEqualTo("127.0.0.1:" + pair.primaryPort());
    assertThat(back.get("primary").up()).isTrue();
  }

  @Test
  void aStoppedReplicaIsDownWithItsReplicationAndThePrimaryStaysUp() {
    pair.stop("replica");
    try {
      Map<String, Observation> found = round();
      assertThat(found.get("primary").up()).isTrue();
      assertThat(found.get("replica-1").up()).isFalse();
      assertThat(found.get("replication-replica-1").up()).isFalse();
    } finally {
      pair.up();
    }
  }
}
