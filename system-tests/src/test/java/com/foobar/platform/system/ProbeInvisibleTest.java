package com.foobar.platform.system;

import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor's synthetic probe through the real topology (balancer, two app servers, MariaDB pair) with a
 * management token: its write, read back from the replica and delete all work, and meanwhile a visitor's list of
 * posts never holds one of its posts, nor does a visitor's read by id find one. A probe post is reachable only by
 * a request carrying the token, and a wrong token is refused, not taken for a visitor.
 */
class ProbeInvisibleTest {

  private static final String TOKEN = "probe-invisible-test-token";
  private static Topology topology;
  private static WebClient site;
  private static WebClient monitor;

  @BeforeAll
  static void start() {
    System.setProperty(ManagementToken.PROPERTY, TOKEN);
    topology = new Topology(new JsonObject(), Topology.NO_LIMITS);
    // The database is shared by the test classes: a monitor that ran without a token before this one (and warned
    // that visitors would see its posts) may have left public probe posts; this test is about marked ones only.
    topology.pair.sql("primary", "DELETE FROM foobar.posts WHERE author = 'foobar-monitor' AND NOT probe");
    site = WebClient.create(topology.edge);
    monitor = WebClient.create(topology.edge);
  }

  @AfterAll
  static void stop() {
    site.close();
    monitor.close();
    topology.close();
    System.clearProperty(ManagementToken.PROPERTY);
    // The database is shared with the next test classes: no probe post of this one may outlive it (a round cut
    // short by the stop leaves its post), nor the one written by hand.
    topology.pair.sql("primary", "DELETE FROM foobar.posts WHERE probe");
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return Await.result(request.send(), 10);
  }

  private static HttpRequest<Buffer> site(io.vertx.core.http.HttpMethod method, String path) {
    return site.request(method, topology.balancer.actualPort(), "127.0.0.1", path);
  }

  /** The id of the post the probe wrote in its last round (its status detail). */
  private static long lastProbePost() {
    JsonObject status = send(monitor.get(topology.monitor.actualPort(), "127.0.0.1", "/api/status?history=false")
      .putHeader("Authorization", ManagementToken.bearer(TOKEN))).bodyAsJsonObject();
    JsonObject synthetic = MonitorSystemTest.component(status, "synthetic");
    return Boolean.TRUE.equals(synthetic.getBoolean("up")) ? synthetic.getJsonObject("detail").getLong("postId") : -1;
  }

  @Test
  void whileTheProbeRunsAVisitorNeverSeesOneOfItsPosts() {
    // Earlier test classes share the database, and a monitor without a token (theirs) posts in public: only posts
    // written from here on are this probe's to judge.
    long before = Long.parseLong(topology.pair.sql("primary", "SELECT COALESCE(MAX(id), 0) FROM foobar.posts").strip());
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> lastProbePost() > before);
    Set<Long> probePosts = new TreeSet<>();
    long until = System.currentTimeMillis() + 4000; // about 13 probe rounds of 300 ms
    int lists = 0;
    while (System.currentTimeMillis() < until || probePosts.size() < 3) {
      long probe = lastProbePost();
      if (probe > 0) {
        probePosts.add(probe);
        assertThat(send(site(HttpMethod.GET, "/api/posts/" + probe)).statusCode())
          .as("a visitor's read of probe post %d", probe).isEqualTo(404);
      }
      JsonObject list = send(site(HttpMethod.GET, "/api/posts?limit=50")).bodyAsJsonObject();
      list.getJsonArray("posts").stream().map(JsonObject.class::cast).filter(post -> post.getLong("id") > before)
        .forEach(post -> assertThat(post.getString("author")).as("a visitor's list: %s", post)
          .isNotEqualTo("foobar-monitor"));
      lists++;
    }
    assertThat(probePosts).as("the probe kept writing (and reading back, and deleting) meanwhile").hasSizeGreaterThan(2);
    assertThat(lists).isGreaterThan(10);
  }

  @Test
  void aProbePostIsReachableOnlyWithTheTokenAndAWrongTokenIsRefused() {
    JsonObject post = new JsonObject().put("author", "foobar-monitor").put("title", "by hand").put("body", "probe");
    HttpResponse<Buffer> created = Await.result(site(HttpMethod.POST, "/api/posts")
      .putHeader("X-Foobar-Probe", TOKEN).sendJsonObject(post), 10);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    String editToken = created.bodyAsJsonObject().getString("editToken");
    await().atMost(Duration.ofSeconds(10)).until(() -> send(site(HttpMethod.GET, "/api/posts/" + id)
      .putHeader("X-Foobar-Probe", TOKEN)).statusCode() == 200);
    assertThat(send(site(HttpMethod.GET, "/api/posts/" + id)).statusCode())
      .as("replicated, yet not a visitor's").isEqualTo(404);
    assertThat(send(site(HttpMethod.GET, "/api/posts?limit=100")).bodyAsJsonObject()
      .getJsonArray("posts").stream().map(listed -> ((JsonObject) listed).getLong("id"))).doesNotContain(id);
    HttpResponse<Buffer> forged = Await.result(site(HttpMethod.POST, "/api/posts")
      .putHeader("X-Foobar-Probe", "not-the-token").sendJsonObject(post), 10);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
    assertThat(send(site(HttpMethod.DELETE, "/api/posts/" + id).putHeader("X-Edit-Token", editToken))
      .statusCode()).as("a visitor's delete does not find it").isEqualTo(404);
    assertThat(send(site(HttpMethod.DELETE, "/api/posts/" + id).putHeader("X-Edit-Token", editToken)
      .putHeader("X-Foobar-Probe", TOKEN)).statusCode()).isEqualTo(204);
  }
}
