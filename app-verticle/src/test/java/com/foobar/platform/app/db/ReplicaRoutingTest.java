package com.foobar.platform.app.db;

import com.foobar.platform.app.AppTestServer;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing by replica health and read-your-writes, with real replication lag (MASTER_DELAY) and stopped
 * replication threads on the shared pair; every test puts replication back as it found it.
 */
@ExtendWith(VertxExtension.class)
class ReplicaRoutingTest {

  private static MariaDbPair pair;
  private static AppTestServer server;
  private static WebClient client;
  private static WebClient management;

  @BeforeAll
  static void start(Vertx vertx) {
    pair = MariaDbPair.shared();
    server = new AppTestServer(vertx, "app-lag", new JsonObject().put("nodeCheckIntervalMs", 200)
      .put("maxReplicationLagSeconds", 30).put("consistencyWaitMs", 300));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(server.port()));
    management = WebClient.create(vertx, new WebClientOptions().setDefaultPort(server.managementPort()));
  }

  @AfterEach
  void restoreReplication() {
    pair.sql("replica", "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE");
    pair.up();
  }

  @AfterAll
  static void stop() {
    client.close();
    management.close();
  }

  @Test
  void aReadCarryingTheTokenOfAWriteSeesItEvenWhenTheReplicaLags() {
    pair.sql("replica", "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 4; START SLAVE");
    HttpResponse<Buffer> created = Await.result(client.post("/api/posts")
      .sendJsonObject(new JsonObject().put("author", "ryw").put("title", "read your writes").put("body", "b")));
    assertThat(created.statusCode()).isEqualTo(201);
    String token = created.getHeader(ConsistencyToken.HEADER);
    assertThat(token).matches("\\d+-\\d+-\\d+");
    assertThat(created.cookies()).anyMatch(cookie -> cookie.startsWith(ConsistencyToken.COOKIE + "=" + token)
      && cookie.toLowerCase().contains("httponly") && cookie.contains("Max-Age=60"));
    String uri = "/api/posts/" + created.bodyAsJsonObject().getLong("id");

    // Without the token the read goes to the lagging replica, which does not have the post yet...
    assertThat(Await.result(client.get(uri).send()).statusCode()).isEqualTo(404);
    // ...with it, the read waits for the replica briefly and then goes to the writer.
    HttpResponse<Buffer> consistent = Await.result(client.get(uri).putHeader(ConsistencyToken.HEADER, token).send());
    assertThat(consistent.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> viaCookie = Await.result(client.get(uri)
      .putHeader("Cookie", ConsistencyToken.COOKIE + "=" + token).send());
    assertThat(viaCookie.statusCode()).isEqualTo(200);
    assertThat(metric("foobar_app_consistent_reads_total{served_by=\"writer\"}")).isGreaterThanOrEqualTo(2);

    // Once the replica has applied the write, the same token is served by the replica.
    double onReplica = metric("foobar_app_consistent_reads_total{served_by=\"replica\"}");
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
      assertThat(Await.result(client.get(uri).send()).statusCode()).isEqualTo(200));
    assertThat(Await.result(client.get(uri).putHeader(ConsistencyToken.HEADER, token).send()).statusCode())
      .isEqualTo(200);
    assertThat(metric("foobar_app_consistent_reads_total{served_by=\"replica\"}")).isGreaterThan(onReplica);
  }

  @Test
  void stoppedReplicationThreadsMoveReadsToTheWriter() {
    pair.sql("replica", "STOP SLAVE");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(database()
      .getJsonObject("replica-1").getBoolean("replicating")).isFalse());
    HttpResponse<Buffer> created = Await.result(client.post("/api/posts")
      .sendJsonObject(new JsonObject().put("author", "x").put("title", "only on the primary").put("body", "b")));
    // The replica no longer receives writes, so only a read on the writer can find the new post.
    HttpResponse<Buffer> read = Await.result(client.get("/api/posts/" + created.bodyAsJsonObject().getLong("id")).send());
    assertThat(read.statusCode()).isEqualTo(200);
  }

  @Test
  void aReplicaTooFarBehindServesNoReads(Vertx vertx) {
    AppTestServer strict = new AppTestServer(vertx, "app-strict", new JsonObject().put("nodeCheckIntervalMs", 200)
      .put("maxReplicationLagSeconds", 1));
    WebClient strictClient = WebClient.create(vertx, new WebClientOptions().setDefaultPort(strict.port()));
    WebClient strictManagement = WebClient.create(vertx, new WebClientOptions().setDefaultPort(strict.managementPort()));
    pair.sql("replica", "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 30; START SLAVE");
    JsonObject post = new JsonObject().put("author", "lag").put("title", "behind").put("body", "b");
    // Lag only shows while the replica holds back events, so keep writing until it exceeds the limit.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      Await.result(strictClient.post("/api/posts").sendJsonObject(post));
      JsonObject replica = Await.result(strictManagement.get("/database").send()).bodyAsJsonObject()
        .getJsonObject("replica-1");
      assertThat(replica.getLong("lagSeconds")).isNotNull().isGreaterThan(1L);
    });
    long id = Await.result(strictClient.post("/api/posts").sendJsonObject(post)).bodyAsJsonObject().getLong("id");
    assertThat(Await.result(strictClient.get("/api/posts/" + id).send()).statusCode()).isEqualTo(200);
    Await.result(vertx.undeploy(strict.deploymentId()));
  }

  @Test
  void twoWritableNodesMakeTheAppRefuseWrites() {
    pair.sql("replica", "SET GLOBAL read_only = 0");
    try {
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(database().getString("writesRefused")).contains("two writable"));
      HttpResponse<Buffer> write = Await.result(client.post("/api/posts")
        .sendJsonObject(new JsonObject().put("author", "x").put("title", "split").put("body", "b")));
      assertThat(write.statusCode()).isEqualTo(503);
      assertThat(write.bodyAsJsonObject().getString("error")).isEqualTo("writes_refused");
      assertThat(write.getHeader("Retry-After")).isNotNull();
      assertThat(Await.result(client.get("/api/posts?limit=1").send()).statusCode()).isEqualTo(200);
    } finally {
      pair.sql("replica", "SET GLOBAL read_only = 1");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
      assertThat(database().getString("writesRefused")).isNull());
  }

  private static JsonObject database() {
    return Await.result(management.get("/database").send()).bodyAsJsonObject();
  }

  private static double metric(String series) {
    String text = Await.result(management.get("/metrics").send()).bodyAsString();
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return 0;
  }
}
