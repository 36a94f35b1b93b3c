package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.app.AppTestServer;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once writes on a real MariaDB: a request with an {@code Idempotency-Key} runs once; a repeat gets the
 * stored answer (status, body, Location) and writes nothing; the same key with another request is a 422;
 * concurrent duplicates wait for the first and write once; an expired key is purged and may be used again.
 */
@ExtendWith(VertxExtension.class)
class IdempotencyKeysTest {

  private static final MariaDbPair PAIR = MariaDbPair.shared();
  private static Vertx vertx;
  private static AppTestServer server;
  private static AppTestServer shortLived;
  private static WebClient client;
  private static WebClient shortClient;

  @BeforeAll
  static void start(Vertx shared) {
    vertx = shared;
    server = new AppTestServer(vertx, "app-keys", new JsonObject());
    shortLived = new AppTestServer(vertx, "app-keys-1s", new JsonObject().put("posts", new JsonObject()
      .put("idempotencyKeyTtlSeconds", 1).put("idempotencyPurgeIntervalSeconds", 1)));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    shortClient = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(shortLived.port()));
  }

  @AfterAll
  static void stop() {
    client.close();
    shortClient.close();
  }

  private static JsonObject content(String title) {
    return new JsonObject().put("author", "keyed").put("title", title).put("body", "once");
  }

  private static HttpRequest<Buffer> keyed(HttpRequest<Buffer> request, String key) {
    return request.putHeader("Idempotency-Key", key);
  }

  private static int rows(String title) {
    return Integer.parseInt(PAIR.sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE title = '" + title + "'")
      .strip());
  }

  private static String keyRows(String key) {
    String hash = HexFormat.of().formatHex(new IdempotencyKey(key).id().getBytes());
    return PAIR.sql("primary", "SELECT COUNT(*) FROM foobar.idempotency_keys WHERE key_hash = UNHEX('" + hash + "')")
      .strip();
  }

  @Test
  void aRepeatGetsTheStoredAnswerAndWritesOnce() {
    String key = UUID.randomUUID().toString();
    String title = "once " + key;
    HttpResponse<Buffer> first = Await.result(keyed(client.post("/api/posts"), key).sendJsonObject(content(title)));
    HttpResponse<Buffer> repeat = Await.result(keyed(client.post("/api/posts"), key).sendJsonObject(content(title)));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.getHeader(Answer.REPLAYED)).isNull();
    assertThat(repeat.statusCode()).isEqualTo(201);
    assertThat(repeat.getHeader(Answer.REPLAYED)).isEqualTo("true");
    assertThat(repeat.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(repeat.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(first.getHeader(ConsistencyToken.HEADER)).isNotNull();
    assertThat(repeat.getHeader(ConsistencyToken.HEADER)).as("the writer's position, which holds the write")
      .isNotNull();
    assertThat(rows(title)).isEqualTo(1);

    String token = first.bodyAsJsonObject().getString("editToken");
    assertThat(PAIR.sql("primary", "SELECT COUNT(*) FROM foobar.idempotency_keys WHERE sealed_body LIKE '%"
      + token + "%' OR sealed_body LIKE '%" + title + "%'").strip()).as("the stored answer is sealed").isEqualTo("0");

    String deleteKey = UUID.randomUUID().toString();
    long id = first.bodyAsJsonObject().getLong("id");
    HttpRequest<Buffer> delete = keyed(client.delete("/api/posts/" + id), deleteKey).putHeader("X-Edit-Token", token);
    assertThat(Await.result(delete.send()).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> deletedAgain = Await.result(delete.send());
    assertThat(deletedAgain.statusCode()).as("the stored 204, not a 404").isEqualTo(204);
    assertThat(deletedAgain.getHeader(Answer.REPLAYED)).isEqualTo("true");
  }

  @Test
  void theSameKeyWithAnotherRequestIs422() {
    String key = UUID.randomUUID().toString();
    JsonObject first = Await.result(keyed(client.post("/api/posts"), key).sendJsonObject(content("a " + key)))
      .bodyAsJsonObject();
    HttpResponse<Buffer> other = Await.result(keyed(client.post("/api/posts"), key)
      .sendJsonObject(content("b " + key)));
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("error")).isEqualTo("idempotency_key_reused");
    assertThat(rows("b " + key)).isZero();

    String putKey = UUID.randomUUID().toString();
    String path = "/api/posts/" + first.getLong("id");
    assertThat(Await.result(keyed(client.put(path), putKey).putHeader("X-Edit-Token", first.getString("editToken"))
      .sendJsonObject(content("c " + key))).statusCode()).isEqualTo(200);
    assertThat(Await.result(keyed(client.put(path), putKey).putHeader("X-Edit-Token", EditTokens.generate())
      .sendJsonObject(content("c " + key))).statusCode()).as("another credential is another request").isEqualTo(422);
    assertThat(Await.result(keyed(client.delete(path), putKey).putHeader("X-Edit-Token", first.getString("editToken"))
      .send()).statusCode()).as("another method is another request").isEqualTo(422);
  }

  @Test
  void badKeysAre400() {
    for (String bad : List.of("", "k".repeat(256), "caf\u00e9", "with space")) {
      HttpResponse<Buffer> refused = Await.result(keyed(client.post("/api/posts"), bad)
        .sendJsonObject(content("bad key")));
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("invalid_idempotency_key");
    }
    assertThat(rows("bad key")).isZero();
  }

  /**
   * A test transaction holds the gap lock at the end of the posts index, so the first request's INSERT waits
   * with its key row claimed and the other four wait on that key row; then the lock goes and all five finish.
   */
  @Test
  void concurrentRequestsWithOneKeyWriteOnce() {
    String key = UUID.randomUUID().toString();
    String title = "concurrent " + key;
    Pool pool = MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setHost("127.0.0.1")
      .setPort(PAIR.primaryPort()).setDatabase("foobar").setUser("foobar_app").setPassword(PAIR.password("app")))
      .using(vertx).build();
    SqlConnection blocker = Await.result(pool.getConnection());
    Transaction gap = Await.result(blocker.begin());
    Await.result(blocker.query("SELECT id FROM posts WHERE id > (SELECT COALESCE(MAX(id), 0) FROM posts) FOR UPDATE")
      .execute());
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        sent.add(keyed(client.post("/api/posts"), key).sendJsonObject(content(title)));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> Integer.parseInt(PAIR.sql("primary",
        "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'").strip()) >= 5);
    } finally {
      Await.result(gap.rollback());
      Await.result(blocker.close());
      Await.result(pool.close());
    }
    List<HttpResponse<Buffer>> answers = sent.stream().map(Await::result).toList();
    assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(201));
    assertThat(answers.stream().map(answer -> answer.bodyAsJsonObject().getLong("id")).distinct()).hasSize(1);
    assertThat(answers.stream().filter(answer -> answer.getHeader(Answer.REPLAYED) != null)).hasSize(4);
    assertThat(rows(title)).isEqualTo(1);
  }

  @Test
  void anExpiredKeyIsPurgedAndMayBeUsedAgain() {
    String key = UUID.randomUUID().toString();
    JsonObject first = Await.result(keyed(shortClient.post("/api/posts"), key).sendJsonObject(content("x " + key)))
      .bodyAsJsonObject();
    assertThat(keyRows(key)).isEqualTo("1");
    await().atMost(Duration.ofSeconds(20)).until(() -> keyRows(key).equals("0"));

    HttpResponse<Buffer> reused = Await.result(keyed(shortClient.post("/api/posts"), key)
      .sendJsonObject(content("y " + key)));
    assertThat(reused.statusCode()).as("a new request, not a 422").isEqualTo(201);
    assertThat(reused.bodyAsJsonObject().getLong("id")).isNotEqualTo(first.getLong("id"));

    // Expired but not purged yet: taken over just the same.
    String held = UUID.randomUUID().toString();
    Await.result(keyed(client.post("/api/posts"), held).sendJsonObject(content("p " + held)));
    PAIR.sql("primary", "UPDATE foobar.idempotency_keys SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND"
      + " WHERE key_hash = UNHEX('" + HexFormat.of().formatHex(new IdempotencyKey(held).id().getBytes()) + "')");
    HttpResponse<Buffer> takenOver = Await.result(keyed(client.post("/api/posts"), held)
      .sendJsonObject(content("q " + held)));
    assertThat(takenOver.statusCode()).isEqualTo(201);
    assertThat(takenOver.getHeader(Answer.REPLAYED)).isNull();
    assertThat(rows("q " + held)).isEqualTo(1);
  }
}
