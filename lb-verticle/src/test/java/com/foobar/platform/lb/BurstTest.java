package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst with the default configuration: 2,000 requests at once on their own keep-alive connections, from 40
 * client addresses (127.0.0.2-41, so the default per-client connection cap stays on and is not what is tested),
 * against two real backends that take 50 ms each. Far more than the backends' slots (64 each): the rest must
 * wait in the queue, bounded by the queue timeout, as HAProxy's, and every one be answered 200.
 */
@ExtendWith(VertxExtension.class)
class BurstTest extends BalancerTestBase {

  private static final int CLIENTS = 40;
  private static final int PER_CLIENT = 50;

  @Test
  void twoThousandSimultaneousRequestsAreAllAnswered(Vertx vertx) {
    this.vertx = vertx;
    // The load and the backends on Vert.x instances of their own, as they are processes of their own in the
    // benchmark: on the balancer's event loops, 2,000 clients' work delays its health checks past their timeout.
    Vertx peers = Vertx.vertx();
    TestBackend a = new TestBackend(peers, "a");
    TestBackend b = new TestBackend(peers, "b");
    // The shipped health-check timings, not the test base's quick ones: the burst runs with the defaults.
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject().put("healthCheckIntervalMs", 500)
      .put("healthCheckTimeoutMs", 400).put("backendTimeoutMs", 30_000));
    // Both backends up (two passed checks each) before the burst, so the burst meets the full 128 slots.
    java.util.Set<String> served = new java.util.HashSet<>();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
      String by = get("/slow?ms=1").getHeader("X-Served-By");
      return by != null && served.add(by) && served.size() == 2 || served.size() == 2;
    });
    // A first, smaller burst warms the JIT: cold, the whole test JVM stalls for seconds, past the health checks'
    // 400 ms timeout, which a burst on a running balancer does not meet.
    burst(peers, 5);
    Map<String, Integer> counts = burst(peers, PER_CLIENT);
    Await.result(peers.close());
    assertThat(counts).as("status -> count of %d requests", CLIENTS * PER_CLIENT)
      .isEqualTo(Map.of("200", CLIENTS * PER_CLIENT));
  }

  /** {@code perClient} requests at once from each of the client addresses: status (and body if not 200) -> count. */
  private Map<String, Integer> burst(Vertx peers, int perClient) {
    List<HttpClientAgent> clients = new ArrayList<>();
    List<Future<String>> statuses = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      HttpClientAgent agent = peers.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setLocalAddress("127.0.0." + (2 + c)), new PoolOptions().setHttp1MaxSize(perClient));
      clients.add(agent);
      for (int r = 0; r < perClient; r++) {
        statuses.add(agent.request(HttpMethod.GET, balancer.actualPort(), "127.0.0.1", "/slow?ms=50")
          .compose(request -> request.send())
          .compose(response -> response.body().map(body -> response.statusCode() == 200 ? "200"
            : response.statusCode() + " " + body))
          .otherwise(Throwable::toString));
      }
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (Future<String> status : statuses) {
      counts.merge(Await.result(status, 60), 1, Integer::sum);
    }
    clients.forEach(agent -> Await.result(agent.close()));
    return counts;
  }
}
