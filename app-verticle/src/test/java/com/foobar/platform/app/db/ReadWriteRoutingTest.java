package com.foobar.platform.app.db;

import com.foobar.platform.app.AppOptions;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Where reads and writes really go, and what clients see when a database node is down. */
@ExtendWith(VertxExtension.class)
class ReadWriteRoutingTest {

  private static final long REPLICA_ONLY_ID = 990_000_001L;

  private static MariaDbPair pair;
  private static AppTestServer server;
  private static WebClient client;
  private static WebClient management;

  @BeforeAll
  static void start(Vertx vertx) {
    pair = MariaDbPair.shared();
    server = new AppTestServer(vertx, "app-routing", new JsonObject());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    management = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.managementPort()));
  }

  @AfterEach
  void restoreBothNodes() {
    pair.up();
  }

  @AfterAll
  static void stop() {
    client.close();
    management.close();
  }

  @Test
  void plainReadsRunOnTheReplica() {
    // A row that only the replica has (written there without binlog), so only a replica read can find it.
    pair.sql("replica", "SET SESSION sql_log_bin = 0; INSERT INTO foobar.posts (id, author, title, body, created_at, updated_at) VALUES (" + REPLICA_ONLY_ID
      + ", 'replica', 'only on the replica', 'x', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
    try {
      double replicaBefore = metric("foobar_app_db_queries_total{node=\"replica-1\"}");
      HttpResponse<Buffer> read = Await.result(client.get("/api/posts/" + REPLICA_ONLY_ID).send());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.bodyAsJsonObject().getString("title")).isEqualTo("only on the replica");
      assertThat(metric("foobar_app_db_queries_total{node=\"replica-1\"}")).isGreaterThan(replicaBefore);
    } finally {
      pair.sql("replica", "SET SESSION sql_log_bin = 0; DELETE FROM foobar.posts WHERE id = " + REPLICA_ONLY_ID);
    }
  }

  @Test
  void writesRunOnThePrimary() {
    double primaryBefore = metric("foobar_app_db_queries_total{node=\"primary\"}");
    HttpResponse<Buffer> created = Await.result(client.post("/api/posts")
      .sendJsonObject(new JsonObject().put("author", "w").put("title", "on the primary").put("body", "b")));
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getValue("id").toString();
    assertThat(pair.sql("primary", "SELECT title FROM foobar.posts WHERE id = " + id).strip())
      .isEqualTo("on the primary");
    assertThat(metric("foobar_app_db_queries_total{node=\"primary\"}")).isGreaterThan(primaryBefore);
  }

  /**
   * A switchover makes the writer read-only a moment before a writer is writable again: a write refused as
   * read-only never ran, so it waits for the writer (up to writerWaitMs) instead of failing with a 503.
   */
  @Test
  void aWriteRefusedAsReadOnlyWaitsForAWritableWriter() throws Exception {
    pair.sql("primary", "SET GLOBAL read_only = 1");
    Thread writable = new Thread(() -> {
      try {
        Thread.sleep(700);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pair.sql("primary", "SET GLOBAL read_only = 0");
    });
    writable.start();
    try {
      HttpResponse<Buffer> created = Await.result(client.post("/api/posts")
        .sendJsonObject(new JsonObject().put("author", "w").put("title", "during a switchover").put("body", "b")), 10);
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String id = created.bodyAsJsonObject().getValue("id").toString();
      assertThat(pair.sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE id = " + id).strip()).isEqualTo("1");
    } finally {
      writable.join();
      pair.sql("primary", "SET GLOBAL read_only = 0");
    }
  }

  @Test
  void aStoppedReplicaMovesReadsToThePrimaryWithoutErrors() {
    pair.stop("replica");
    double fallbacksBefore = metric("foobar_app_read_fallbacks_total");
    for (int i = 0; i < 5; i++) { // five different pages: the listing cache would answer a repeat itself
      assertThat(Await.result(client.get("/api/posts?limit=" + (i + 1)).send()).statusCode()).isEqualTo(200);
    }
    assertThat(metric("foobar_app_read_fallbacks_total")).isGreaterThanOrEqualTo(fallbacksBefore + 5);
    assertThat(Await.result(management.get("/health").send()).statusCode()).isEqualTo(503);
    assertThat(Await.result(management.get("/health/ready").send()).statusCode()).isEqualTo(200);

    pair.up();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
      assertThat(Await.result(management.get("/health").send()).statusCode()).isEqualTo(200));
  }

  @Test
  void aStoppedPrimaryFailsWritesFastWhileReadsGoOn() {
    pair.stop("primary");
    HttpResponse<Buffer> write = Await.result(client.post("/api/posts")
      .sendJsonObject(new JsonObject().put("author", "w").put("title", "t").put("body", "b")), 10);
    assertThat(write.statusCode()).isEqualTo(503);
    assertThat(write.getHeader("Retry-After")).isEqualTo(Integer.toString(new AppOptions().retryAfterSeconds()));
    assertThat(write.bodyAsJsonObject().getString("error")).isEqualTo("database_unavailable");
    assertThat(Await.result(client.get("/api/posts?limit=5").send()).statusCode()).isEqualTo(200);
    assertThat(Await.result(management.get("/health/ready").send()).statusCode()).isEqualTo(503);
  }

  @Test
  void managementPortServesHealthAndMetricsButThePublicPortDoesNot() {
    HttpResponse<Buffer> health = Await.result(management.get("/health").send());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsString()).contains("primary", "replica-1");
    assertThat(Await.result(management.get("/metrics").send()).bodyAsString())
      .contains("vertx_pool_in_use{pool_name=\"primary\"", "vertx_pool_in_use{pool_name=\"replica-1\"");
    assertThat(Await.result(client.get("/metrics").send()).statusCode()).isEqualTo(404);
    assertThat(Await.result(client.get("/health").send()).statusCode()).isEqualTo(404);
  }

  private static double metric(String series) {
    String text = Await.result(management.get("/metrics").send()).bodyAsString();
    Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0.0;
  }
}
