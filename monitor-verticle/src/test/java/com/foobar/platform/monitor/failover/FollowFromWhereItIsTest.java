package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.db.NodeControl;
import com.foobar.platform.common.db.NodeStatusReader;
import com.foobar.platform.common.db.ReplicationSource;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Re-pointing a follower starts it from where it is when replication is stopped, never from a position read
 * earlier: a round's check may be older than what the node applied since, and resuming from it would fetch
 * those transactions again (a failover manager round right after a switchover broke replication that way, with
 * "out-of-order sequence number").
 */
class FollowFromWhereItIsTest {

  private final MariaDbPair pair = MariaDbPair.shared();
  private final Vertx vertx = Vertx.vertx();
  private Pool replica;

  @AfterEach
  void close() {
    if (replica != null) {
      Await.result(replica.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void aFollowerRePointedAfterItAppliedMoreKeepsReplicating() {
    String writer = pair.sql("primary", "SELECT @@read_only").trim().equals("0") ? "primary" : "replica";
    String follower = writer.equals("primary") ? "replica" : "primary";
    int writerPort = writer.equals("primary") ? pair.primaryPort() : pair.replicaPort();
    int followerPort = writer.equals("primary") ? pair.replicaPort() : pair.primaryPort();
    pair.sql(writer, "CREATE TABLE IF NOT EXISTS foobar.follow_test (id INT PRIMARY KEY); DELETE FROM foobar.follow_test");
    replica = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1))
      .connectingTo(new MySQLConnectOptions().setHost("127.0.0.1").setPort(followerPort).setUser("foobar_failover")
        .setPassword(pair.password("failover")))
      .using(vertx).build();
    awaitRows(follower, 0);
    Await.result(replica.withConnection(NodeStatusReader::read)); // what a round's check saw, before the writes below

    for (int id = 1; id <= 5; id++) {
      pair.sql(writer, "INSERT INTO foobar.follow_test VALUES (" + id + ")");
    }
    awaitRows(follower, 5);
    ReplicationSource source = new ReplicationSource("127.0.0.1", writerPort, "foobar_repl", pair.password("repl"));
    Await.result(replica.withConnection(connection -> NodeControl.follow(connection, source)));
    for (int id = 6; id <= 10; id++) {
      pair.sql(writer, "INSERT INTO foobar.follow_test VALUES (" + id + ")");
    }

    awaitRows(follower, 10);
    var slave = Await.result(replica.withConnection(NodeStatusReader::read)).slave();
    assertThat(slave.error()).isNull();
    assertThat(slave.sqlRunning()).isTrue();
  }

  private void awaitRows(String node, int rows) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pair.sql(node,
      "SELECT COUNT(*) FROM foobar.follow_test").trim()).isEqualTo(String.valueOf(rows)));
  }
}
