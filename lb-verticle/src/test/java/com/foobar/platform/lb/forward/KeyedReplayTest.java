package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A POST with an {@code Idempotency-Key} whose backend dies after receiving it and before answering is sent again
 * to the other backend, body included (the application server runs a keyed request at most once); a POST without
 * a key is not, since the first backend may have run it.
 */
@ExtendWith(VertxExtension.class)
class KeyedReplayTest extends BalancerTestBase {

  private TestBackend dying;
  private TestBackend healthy;

  @BeforeEach
  void backends(Vertx vertx) {
    this.vertx = vertx;
    dying = new TestBackend(vertx, "dying");
    healthy = new TestBackend(vertx, "healthy");
    dying.dropRequests = true;
    deploy(new JsonArray().add(dying.address()).add(healthy.address()), new JsonObject().put("errorLimit", 0)
      .put("healthCheckIntervalMs", 600_000));
  }

  @Test
  void aKeyedPostIsReplayedOnTheOtherBackendWithItsBody() {
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> response = Await.result(client.post("/api/posts").putHeader("Idempotency-Key", "key-" + i)
        .sendBuffer(Buffer.buffer("{\"body\":\"" + "x".repeat(2000) + "\"}")));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("X-Served-By")).isEqualTo("healthy");
      assertThat(response.bodyAsJsonObject().getInteger("bodyLength")).isEqualTo(2011);
      assertThat(response.bodyAsJsonObject().getJsonObject("headers").getString("idempotency-key")).isEqualTo("key-" + i);
    }
    assertThat(dying.requests.get()).as("the dying backend got some of them first").isGreaterThan(0);
  }

  @Test
  void anUnkeyedPostWithABodyIsNotReplayed() {
    int failed = 0;
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> response = Await.result(client.post("/api/posts").sendBuffer(Buffer.buffer("{\"body\":\"x\"}")));
      if (response.statusCode() == 502) {
        failed++;
      } else {
        assertThat(response.getHeader("X-Served-By")).isEqualTo("healthy");
      }
    }
    assertThat(failed).isEqualTo(dying.requests.get()).isGreaterThan(0);
  }
}
