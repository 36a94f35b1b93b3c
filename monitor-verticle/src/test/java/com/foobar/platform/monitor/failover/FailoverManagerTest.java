package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Failover and switchover on a real MariaDB pair of the test's own (they break replication for good). */
@ExtendWith(VertxExtension.class)
class FailoverManagerTest {

  private MariaDbPair pair;
  private FailoverManager manager;

  @BeforeEach
  void start() {
    pair = MariaDbPair.isolated();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      Await.result(manager.stop());
    }
    pair.destroy();
  }

  private FailoverManager manager(Vertx vertx, boolean automatic) {
    return manager(vertx, automatic, true);
  }

  private FailoverManager manager(Vertx vertx, boolean automatic, boolean replicaConfigured) {
    Map<String, MySQLConnectOptions> nodes = new LinkedHashMap<>();
    nodes.put("primary", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.primaryPort()));
    if (replicaConfigured) {
      nodes.put("replica-1", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.replicaPort()));
    }
    FailoverOptions options = new FailoverOptions(new JsonObject().put("enabled", automatic).put("failAfterMs", 1000)
      .put("checkIntervalMs", 200).put("connectTimeoutMs", 500));
    manager = FailoverManager.create(vertx, nodes, options, pair.password("failover"), pair.password("repl"),
      PlatformMetrics.registry());
    return manager;
  }

  /**
   * The writer's commits wait for the replica's acknowledgement (semi-sync): only then is an automatic failover
   * sure to lose no acknowledged write, and only then does the manager promote.
   */
  private void awaitAcknowledged() {
    await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(manager.health().semiSyncActive()));
  }

  private String readOnly(String node) {
    return pair.sql(node, "SELECT @@read_only").strip();
  }

  @Test
  void findsAReplicaTheConfigurationDoesNotNameAndPromotesItWhenThePrimaryDies(Vertx vertx) {
    manager(vertx, true, false).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject discovered = manager.describe().getJsonObject("nodes").getJsonObject("server-2");
      return discovered != null && discovered.getBoolean("discovered") && discovered.getBoolean("replicating");
    });
    assertThat(manager.describe().getJsonObject("nodes").getJsonObject("server-2").getString("address"))
      .isEqualTo("127.0.0.1:" + pair.replicaPort());
    assertThat(manager.replicas()).extracting(node -> node.getString("name")).containsExactly("server-2");
    assertThat(manager.describe().getJsonArray("events").encode()).contains("discovered server-2");
    awaitAcknowledged();

    pair.kill("primary");
    await().atMost(Duration.ofSeconds(20)).until(() -> manager.writerName().equals("server-2"));
    assertThat(readOnly("replica")).isEqualTo("0");
  }

  @Test
  void promotesTheReplicaWhenThePrimaryDiesAndMakesTheOldPrimaryFollowWhenItReturns(Vertx vertx) {
    pair.sql("primary", "CREATE TABLE foobar.failover_test (id INT PRIMARY KEY); INSERT INTO foobar.failover_test VALUES (1)");
    manager(vertx, true).start();
    await().atMost(Duration.ofSeconds(5)).until(() -> manager.writerName().equals("primary")
      && manager.describe().getJsonObject("nodes").getJsonObject("replica-1").getBoolean("replicating"));
    awaitAcknowledged();

    pair.kill("primary");
    await().atMost(Duration.ofSeconds(20)).until(() -> manager.writerName().equals("replica-1"));
    assertThat(readOnly("replica")).isEqualTo("0");
    assertThat(pair.sql("replica", "SELECT id FROM foobar.failover_test").strip()).isEqualTo("1");
    assertThat(manager.describe().getJsonArray("events").encode()).contains("\"failover\"");

    pair.start("primary");
    assertThat(readOnly("primary")).as("a returning primary starts read-only").isEqualTo("1");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
      assertThat(pair.replicating("primary")).isTrue());
    assertThat(readOnly("primary")).isEqualTo("1");
    pair.sql("replica", "INSERT INTO foobar.failover_test VALUES (2)");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
      assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.failover_test").strip()).isEqualTo("2"));
  }

  @Test
  void holdsTheFailoverWhenTheWriterRanAsynchronouslyThenQuarantinesItsTailUntilItIsRebuilt(Vertx vertx) {
    manager(vertx, true).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> manager.writerName().equals("primary"));
    awaitAcknowledged();
    // The replica keeps fetching but acknowledges nothing and applies an hour late: the next commit waits 1 s
    // for an acknowledgement, then the writer goes on asynchronously, and this row is applied on the primary only.
    pair.sql("replica", "STOP SLAVE; SET GLOBAL rpl_semi_sync_slave_enabled = OFF; CHANGE MASTER TO MASTER_DELAY = 3600;"
      + " START SLAVE");
    pair.sql("primary", "CREATE TABLE foobar.async_tail (id INT PRIMARY KEY); INSERT INTO foobar.async_tail VALUES (1)");
    await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.FALSE.equals(manager.health().semiSyncActive()));
    assertThat(gauge("foobar_db_writer_semisync_active", "primary")).isEqualTo(0);

    pair.kill("primary");
    await().atMost(Duration.ofSeconds(10)).until(() -> manager.health().noSafeWriter() != null);
    assertThat(manager.health().noSafeWriter()).contains("failover held").contains("asynchronously");
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(manager.writerName()).as("no automatic promotion").isEqualTo("primary");
    assertThat(readOnly("replica")).isEqualTo("1");
    assertThat(gauge("foobar_db_no_safe_writer", null)).isEqualTo(1);

    assertThat(Await.result(manager.failover("replica-1")).getString("writer")).isEqualTo("replica-1");
    assertThat(readOnly("replica")).isEqualTo("0");
    pair.start("primary");
    await().atMost(Duration.ofSeconds(20)).until(() -> manager.health().errant().containsKey("primary"));
    String gtids = manager.health().errant().get("primary");
    assertThat(gtids).as("the unreplicated tail, named").matches("0-1-[0-9]+(\\.\\.0-1-[0-9]+)?");
    assertThat(gauge("foobar_db_errant_transactions", "primary")).isGreaterThanOrEqualTo(1);
    assertThat(PlatformMetrics.registry().find("foobar_db_errant_gtids").tag("node", "primary").tag("gtids", gtids)
      .gauge()).isNotNull();
    assertThat(readOnly("primary")).isEqualTo("1");
    assertThat(pair.replicating("primary")).as("never attached to a writer it diverged from").isFalse();
    assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.async_tail").strip()).as("kept, not wiped")
      .isEqualTo("1");

    pair.rebuild("primary");
    await().atMost(Duration.ofSeconds(20)).until(() -> manager.health().errant().isEmpty() && pair.replicating("primary"));
    assertThat(gauge("foobar_db_errant_transactions", "primary")).isEqualTo(0);
    pair.sql("replica", "CREATE TABLE foobar.after_rebuild (id INT PRIMARY KEY)");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
      assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.after_rebuild").strip()).isEqualTo("0"));
  }

  private static Throwable failure(io.vertx.core.Future<?> future) {
    await().atMost(Duration.ofSeconds(30)).until(future::isComplete);
    assertThat(future.failed()).as("refused").isTrue();
    return future.cause();
  }

  private static double gauge(String name, String node) {
    var search = PlatformMetrics.registry().find(name);
    return (node == null ? search : search.tag("node", node)).gauge().value();
  }

  @Test
  void failsOverToTheOldPrimaryAfterASwitchoverMadeItAReplica(Vertx vertx) {
    manager(vertx, true).start();
    assertThat(Await.result(manager.switchover("replica-1")).getString("writer")).isEqualTo("replica-1");
    pair.sql("replica", "CREATE TABLE foobar.back_test (id INT PRIMARY KEY); INSERT INTO foobar.back_test VALUES (1)");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
      assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.back_test").strip()).isEqualTo("1"));

    awaitAcknowledged();
    pair.kill("replica");
    await().atMost(Duration.ofSeconds(20)).until(() -> manager.writerName().equals("primary"));
    assertThat(readOnly("primary")).isEqualTo("0");
    assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.back_test").strip()).isEqualTo("1");
  }

  @Test
  void takesTheOnlyWritableNodeAsTheWriterWhateverTheConfigurationSays(Vertx vertx) {
    pair.sql("primary", "SET GLOBAL read_only = 1");
    pair.sql("replica", "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = 0");
    manager(vertx, false).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> manager.writerName().equals("replica-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.replicating("primary"));
    assertThat(readOnly("replica")).isEqualTo("0");
    assertThat(readOnly("primary")).isEqualTo("1");
  }

  @Test
  void fencesAWritableNodeThatIsNotTheWriter(Vertx vertx) {
    manager(vertx, false).start();
    pair.sql("replica", "SET GLOBAL read_only = 0");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(readOnly("replica")).isEqualTo("1"));
    assertThat(manager.writerName()).isEqualTo("primary");
  }

  @Test
  void anAccountTheNodesRefuseNeverTriggersAFailover(Vertx vertx) {
    Map<String, MySQLConnectOptions> nodes = new LinkedHashMap<>();
    nodes.put("primary", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.primaryPort()));
    nodes.put("replica-1", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.replicaPort()));
    manager = FailoverManager.create(vertx, nodes, new FailoverOptions(new JsonObject().put("enabled", true)
      .put("failAfterMs", 300).put("checkIntervalMs", 100)), "wrong password", pair.password("repl"),
      PlatformMetrics.registry());
    manager.start();
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> true);
    assertThat(manager.writerName()).isEqualTo("primary");
    assertThat(manager.describe().getString("writerLostSince")).isNull();
    assertThat(manager.describe().getJsonObject("nodes").getJsonObject("primary").getString("error"))
      .contains("Access denied");
    assertThat(readOnly("replica")).isEqualTo("1");
  }

  @Test
  void doesNothingWhenAutomaticFailoverIsOff(Vertx vertx) {
    manager(vertx, false).start();
    pair.kill("primary");
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(manager.writerName()).isEqualTo("primary");
    assertThat(readOnly("replica")).isEqualTo("1");
    assertThat(manager.describe().getString("writerLostSince")).isNotNull();
  }

  @Test
  void switchesOverAndBackWithoutLosingAWrite(Vertx vertx) {
    manager(vertx, false);
    assertThat(failure(manager.switchover("primary"))).isInstanceOf(FailoverException.AlreadyWriter.class)
      .hasMessage("primary is the writer");
    assertThat(failure(manager.switchover("replica-9"))).isInstanceOf(FailoverException.NoSuchNode.class)
      .hasMessage("no database node named replica-9");
    assertThat(failure(manager.failover("replica-1"))).isInstanceOf(FailoverException.WriterAlive.class);
    pair.sql("primary", "CREATE TABLE foobar.switch_test (id INT PRIMARY KEY); INSERT INTO foobar.switch_test VALUES (1)");
    JsonObject result = Await.result(manager.switchover("replica-1"));
    assertThat(result.getString("writer")).isEqualTo("replica-1");
    assertThat(readOnly("replica")).isEqualTo("0");
    assertThat(readOnly("primary")).isEqualTo("1");
    pair.sql("replica", "INSERT INTO foobar.switch_test VALUES (2)");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
      assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.switch_test").strip()).isEqualTo("2"));

    assertThat(Await.result(manager.switchover("primary")).getString("writer")).isEqualTo("primary");
    assertThat(readOnly("primary")).isEqualTo("0");
    assertThat(readOnly("replica")).isEqualTo("1");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
      assertThat(pair.replicating("replica")).isTrue());
  }
}
