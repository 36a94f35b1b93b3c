package com.foobar.platform.app.posts;

import com.foobar.platform.app.ReplicaSync;
import com.foobar.platform.app.AppTestServer;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.foobar.platform.common.ManagementToken;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Moderation is an operator's act: hiding, showing and deleting any post through the app's management port with
 * the management token; refused without it, unknown on the public port; every moderation and every delete in the
 * audit log with its request id.
 */
@ExtendWith(VertxExtension.class)
class ModerationTest {

  private static final String TOKEN = "moderation-test-token";
  private static AppTestServer server;
  private static WebClient site;
  private static WebClient management;
  private static final ListAppender<ILoggingEvent> AUDIT = new ListAppender<>();

  @BeforeAll
  static void start(Vertx vertx) {
    // The token is read when the management endpoints are built; other tests of this JVM run without one.
    System.setProperty(ManagementToken.PROPERTY, TOKEN);
    try {
      server = new AppTestServer(vertx, "app-moderated", new JsonObject());
    } finally {
      System.clearProperty(ManagementToken.PROPERTY);
    }
    site = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    management = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.managementPort()));
    AUDIT.start();
    ((Logger) LoggerFactory.getLogger("com.foobar.platform.app.audit")).addAppender(AUDIT);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("com.foobar.platform.app.audit")).detachAppender(AUDIT);
    site.close();
    management.close();
  }

  private static JsonObject create(String title) {
    return Await.result(site.post("/api/posts").sendJsonObject(new JsonObject().put("author", "someone")
      .put("title", title).put("body", "text"))).bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> moderate(String method, String path, String requestId) {
    return Await.result(management.request(io.vertx.core.http.HttpMethod.valueOf(method), path)
      .putHeader("Authorization", ManagementToken.bearer(TOKEN)).putHeader("X-Request-Id", requestId).send());
  }

  private static boolean audited(String... parts) {
    return AUDIT.list.stream().map(ILoggingEvent::getFormattedMessage)
      .anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains));
  }

  @Test
  void aHiddenPostIsNeitherListedNorServedNorChangeableUntilShownAgain() {
    JsonObject post = create("to hide");
    long id = post.getLong("id");
    ReplicaSync.awaitPost(site, id);

    HttpResponse<Buffer> hidden = moderate("POST", "/admin/posts/" + id + "/hide", "rid-hide-" + id);
    assertThat(hidden.statusCode()).as(hidden.bodyAsString()).isEqualTo(200);
    assertThat(hidden.bodyAsJsonObject().getBoolean("hidden")).isTrue();
    assertThat(hidden.bodyAsJsonObject().getBoolean("hasEditToken")).isTrue();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
      assertThat(Await.result(site.get("/api/posts/" + id).send()).statusCode()).isEqualTo(404));
    assertThat(Await.result(site.get("/api/posts?limit=100").send()).bodyAsString()).doesNotContain("\"id\":" + id + ",");
    assertThat(Await.result(site.delete("/api/posts/" + id).putHeader("X-Edit-Token", post.getString("editToken"))
      .send()).statusCode()).as("the public API does not know a hidden post").isEqualTo(404);
    assertThat(moderate("GET", "/admin/posts/" + id, "rid-get").bodyAsJsonObject().getBoolean("hidden")).isTrue();
    assertThat(audited("post " + id, "hide done", "rid-hide-" + id)).isTrue();

    assertThat(moderate("POST", "/admin/posts/" + id + "/unhide", "rid-unhide").statusCode()).isEqualTo(200);
    ReplicaSync.awaitPost(site, id);
    assertThat(audited("post " + id, "unhide done", "rid-unhide")).isTrue();
  }

  @Test
  void aModeratorDeletesAnyPostAndEveryDeleteIsAudited() {
    long id = create("spam").getLong("id");
    HttpResponse<Buffer> deleted = moderate("DELETE", "/admin/posts/" + id, "rid-moddel-" + id);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(MariaDbPair.shared().sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE id = " + id).strip())
      .isEqualTo("0");
    assertThat(audited("moderation: post " + id, "delete done", "rid-moddel-" + id)).isTrue();
    HttpResponse<Buffer> again = moderate("DELETE", "/admin/posts/" + id, "rid-again");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("not_found");

    JsonObject own = create("mine");
    long ownId = own.getLong("id");
    assertThat(Await.result(site.delete("/api/posts/" + ownId).putHeader("X-Request-Id", "rid-author-" + ownId)
      .putHeader("X-Edit-Token", own.getString("editToken")).send()).statusCode()).isEqualTo(204);
    assertThat(audited("post " + ownId, "deleted by its author", "rid-author-" + ownId)).isTrue();
    Await.result(site.delete("/api/posts/" + ownId).putHeader("X-Request-Id", "rid-refused-" + ownId).send());
    assertThat(audited("post " + ownId, "delete refused", "rid-refused-" + ownId)).isTrue();
  }

  @Test
  void moderationNeedsTheTokenAndIsNotOnThePublicPort() {
    long id = create("protected").getLong("id");
    assertThat(Await.result(management.post("/admin/posts/" + id + "/hide").send()).statusCode()).isEqualTo(401);
    assertThat(Await.result(management.delete("/admin/posts/" + id).putHeader("Authorization", "Bearer wrong").send())
      .statusCode()).isEqualTo(401);
    for (HttpResponse<Buffer> viaPublic : java.util.List.of(
      Await.result(site.post("/admin/posts/" + id + "/hide").putHeader("Authorization", ManagementToken.bearer(TOKEN))
        .send()),
      Await.result(site.delete("/admin/posts/" + id).putHeader("Authorization", ManagementToken.bearer(TOKEN)).send()),
      Await.result(site.get("/admin/posts").putHeader("Authorization", ManagementToken.bearer(TOKEN)).send()))) {
      assertThat(viaPublic.statusCode()).isEqualTo(404);
      assertThat(viaPublic.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    }
    assertThat(MariaDbPair.shared().sql("primary", "SELECT hidden_at IS NULL FROM foobar.posts WHERE id = " + id)
      .strip()).as("still public, still there").isEqualTo("1");
    assertThat(moderate("GET", "/admin/posts?limit=5", "rid-list").bodyAsJsonObject().getJsonArray("posts"))
      .isNotEmpty();
  }
}
