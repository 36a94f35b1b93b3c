package com.foobar.platform.system;

import com.foobar.platform.monitor.MonitorVerticle;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An errant node, made the way it happens by hand: a privileged write on the fenced replica, which the writer never
 * had. The monitor's failover manager quarantines it (read-only, replication stopped), the monitor reports it
 * ({@code /api/status}, the {@code FoobarErrantNode} alert naming the GTIDs, {@code foobar_db_errant_*} series),
 * and the operator's {@code ./foobar rebuild replica} re-images it from the writer, after which it follows again.
 */
class ErrantNodeTest {

  private MariaDbPair pair;
  private Vertx vertx;
  private WebClient client;
  private MonitorVerticle monitor;

  @BeforeEach
  void start() {
    pair = MariaDbPair.isolated();
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    monitor = new MonitorVerticle();
    Await.result(vertx.deployVerticle(monitor, new DeploymentOptions().setConfig(new JsonObject()
      .put("port", 0).put("intervalMs", 300).put("timeoutMs", 1000)
      .put("balancer", new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:1/health/ready"))
      .put("servers", new JsonArray().add(new JsonObject().put("name", "app-1").put("url", "http://127.0.0.1:1/health/ready")))
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("monitor").toString())
      .put("synthetic", new JsonObject().put("enabled", false)).put("traffic", new JsonObject().put("enabled", false))
      .put("failover", new JsonObject().put("enabled", true).put("checkIntervalMs", 200)
        .put("passwordFile", pair.secret("failover").toString())
        .put("replicationPasswordFile", pair.secret("repl").toString())))));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
    pair.destroy();
  }

  private JsonObject status() {
    return Await.result(client.get(monitor.actualPort(), "127.0.0.1", "/api/status?history=false").send(), 10)
      .bodyAsJsonObject();
  }

  private String metrics() {
    return Await.result(client.get(monitor.actualPort(), "127.0.0.1", "/metrics").send(), 10).bodyAsString();
  }

  @Test
  void anErrantReplicaIsQuarantinedReportedAndRebuiltByTheOperatorCommand() {
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
      "primary".equals(status().getJsonObject("database").getString("writer")));
    pair.sql("replica", "CREATE TABLE foobar.errant_write (id INT PRIMARY KEY); INSERT INTO foobar.errant_write VALUES (7)");

    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
      status().getJsonObject("database").getJsonObject("errant").containsKey("replica-1"));
    String gtids = status().getJsonObject("database").getJsonObject("errant").getString("replica-1");
    assertThat(gtids).matches("0-2-[0-9]+\\.\\.0-2-[0-9]+");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> status().getJsonObject("alerts")
      .getJsonArray("active").stream().map(JsonObject.class::cast).anyMatch(alert ->
        "FoobarErrantNode".equals(alert.getString("alertname")) && "firing".equals(alert.getString("state"))
          && gtids.equals(alert.getJsonObject("labels").getString("gtids"))));
    assertThat(metrics()).contains("foobar_db_errant_transactions{node=\"replica-1\"} 2.0")
      .contains("foobar_db_errant_gtids{gtids=\"" + gtids + "\",node=\"replica-1\"} 1.0");
    await().atMost(Duration.ofSeconds(10)).until(() -> !pair.replicating("replica"));
    assertThat(pair.sql("replica", "SELECT @@read_only").strip()).isEqualTo("1");
    assertThat(pair.sql("replica", "SELECT COUNT(*) FROM foobar.errant_write").strip()).as("kept until rebuilt")
      .isEqualTo("1");

    Processes.Result rebuilt = Launcher.run(pair, "rebuild", "replica");
    assertThat(rebuilt.exitCode()).as(rebuilt.output()).isZero();
    assertThat(rebuilt.output()).contains("follower replica");
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
      status().getJsonObject("database").getJsonObject("errant").isEmpty() && pair.replicating("replica"));
    assertThat(metrics()).contains("foobar_db_errant_transactions{node=\"replica-1\"} 0.0")
      .doesNotContain("foobar_db_errant_gtids{");
    pair.sql("primary", "CREATE TABLE foobar.after_rebuild (id INT PRIMARY KEY)");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
      pair.sql("replica", "SELECT COUNT(*) FROM foobar.after_rebuild").strip().equals("0"));
  }
}
