package com.foobar.platform.lb.edge;

import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Allow/deny lists, per-client rate limits and the per-client connection cap, through a real balancer. */
@ExtendWith(VertxExtension.class)
class FirewallTest extends BalancerTestBase {

  private TestBackend a;

  @BeforeEach
  void backend(Vertx vertx) {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
  }

  private void deploy(JsonObject firewall) {
    deploy(new JsonArray().add(a.address()), new JsonObject().put("firewall", firewall));
  }

  @Test
  void cidrsMatchIpv4Ipv6AndMappedAddresses() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("10.200.3.4"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("11.0.0.1"))).isFalse();
    assertThat(Cidr.parse("192.168.1.128/25").contains(Cidr.literal("192.168.1.200"))).isTrue();
    assertThat(Cidr.parse("192.168.1.128/25").contains(Cidr.literal("192.168.1.127"))).isFalse();
    assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db8:1::5"))).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db9::5"))).isFalse();
    assertThat(Cidr.parse("127.0.0.1").contains(Cidr.literal("::ffff:127.0.0.1"))).isTrue();
    assertThat(Cidr.parse("::1").contains(Cidr.literal("127.0.0.1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("8.8.8.8"))).isTrue();
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoadBalancerOptions.fromJson(new JsonObject().put("firewall", new JsonObject()
      .put("deny", new JsonArray().add("nope/8"))))).hasMessageContaining("firewall.deny");
  }

  @Test
  void aDeniedAddressGets403AndNeverReachesABackend() {
    deploy(new JsonObject().put("deny", new JsonArray().add("10.0.0.0/8").add("127.0.0.0/8")));
    HttpResponse<Buffer> response = get("/echo");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
    assertThat(a.requests.get()).isZero();
  }

  @Test
  void anAllowListAdmitsOnlyItsNetworksAndDenyWins() {
    deploy(new JsonObject().put("allow", new JsonArray().add("127.0.0.0/8").add("::1")));
    assertThat(get("/echo").statusCode()).isEqualTo(200);
    Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
    deploy(new JsonObject().put("allow", new JsonArray().add("192.168.0.0/16")));
    assertThat(get("/echo").statusCode()).as("loopback is not on the allow list").isEqualTo(403);
    Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
    deploy(new JsonObject().put("allow", new JsonArray().add("127.0.0.0/8")).put("deny", new JsonArray().add("127.0.0.1")));
    assertThat(get("/echo").statusCode()).isEqualTo(403);
  }

  @Test
  void aClientOverItsRateGets429WithRetryAfterPerPrefix() {
    deploy(new JsonObject().put("rateLimits", new JsonArray()
      .add(new JsonObject().put("prefix", "/api/").put("rate", 0.5).put("burst", 3))));
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/echo").statusCode()).as("burst request " + i).isNotEqualTo(429);
    }
    HttpResponse<Buffer> limited = get("/api/echo");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
    assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isBetween(1, 2);
    assertThat(get("/echo").statusCode()).as("other prefixes are not limited").isEqualTo(200);
    assertThat(a.requests.get()).as("limited requests never reach a backend").isEqualTo(4);
  }

  @Test
  void aClientOverItsConnectionCapIsClosedOnAccept() throws Exception {
    deploy(new JsonObject().put("maxConnectionsPerClient", 3));
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket socket = new Socket("127.0.0.1", balancer.actualPort());
        socket.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(5000);
        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        held.add(socket);
      }
      try (Socket fourth = new Socket("127.0.0.1", balancer.actualPort())) {
        fourth.setSoTimeout(5000);
        fourth.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // Closed without an answer: an end of stream, or a reset when the close found the request unread.
        int first;
        try {
          first = fourth.getInputStream().read();
        } catch (java.net.SocketException reset) {
          first = -1;
        }
        assertThat(first).as("closed without an answer").isEqualTo(-1);
      }
      held.remove(0).close();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> get("/echo").statusCode() == 200);
      assertThat(Await.result(admin.get("/metrics").send()).bodyAsString())
        .contains("reason=\"too_many_connections\"");
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void adminAndMetricsNeedTheTokenHealthDoesNot() {
    deploy(new JsonObject());
    io.vertx.ext.web.client.WebClient bare = io.vertx.ext.web.client.WebClient.create(vertx,
      new io.vertx.ext.web.client.WebClientOptions().setDefaultPort(balancer.managementPort()));
    HttpResponse<Buffer> noToken = Await.result(bare.get("/admin/backends").send());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(noToken.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    assertThat(Await.result(bare.get("/admin/backends").putHeader("Authorization", "Bearer wrong").send())
      .statusCode()).isEqualTo(401);
    assertThat(Await.result(bare.get("/metrics").send()).statusCode()).isEqualTo(401);
    assertThat(Await.result(bare.get("/health/live").send()).statusCode()).isEqualTo(200);
    assertThat(Await.result(admin.get("/admin/backends").send()).statusCode()).isEqualTo(200);
    assertThat(Await.result(admin.get("/metrics").send()).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> viaPublic = Await.result(client.get("/admin/backends")
      .putHeader("Authorization", com.foobar.platform.common.ManagementToken.bearer(TOKEN)).send());
    assertThat(viaPublic.getHeader("X-Served-By")).as("the public port never serves the admin API: it proxies")
      .isEqualTo("a");
    assertThat(viaPublic.bodyAsJsonObject().getString("uri")).isEqualTo("/admin/backends");
    bare.close();
  }

  /** Options as a configuration file would give them. */
  private static FirewallOptions options(JsonObject json) {
    return new FirewallOptions(FirewallOptions.SCHEMA.bind(json, warning -> { }));
  }

  @Test
  void idleClientsAreForgotten() {
    FirewallOptions options = options(new JsonObject().put("expireMs", 1000).put("tableSize", 10)
      .put("rateLimits", new JsonArray().add(new JsonObject().put("prefix", "/").put("rate", 100).put("burst", 100))));
    Firewall firewall = new Firewall(options, new SimpleMeterRegistry());
    assertThat(firewall.checkRate("10.0.0.1", HttpMethod.GET, "/")).isNull();
    assertThat(firewall.checkRate("10.0.0.2", HttpMethod.GET, "/")).isNull();
    assertThat(firewall.size()).isEqualTo(2);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> firewall.sweep() >= 0
      && firewall.size() == 0);
  }

  @Test
  void aFullTableEvictsItsOldestIdleClientsCountedNeverFailingOpenSilently() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FirewallOptions options = options(new JsonObject().put("tableSize", 2).put("maxConnectionsPerClient", 5)
      .put("rateLimits", new JsonArray().add(new JsonObject().put("prefix", "/").put("rate", 1).put("burst", 1))));
    Firewall firewall = new Firewall(options, registry);
    assertThat(firewall.checkRate("10.0.0.1", HttpMethod.POST, "/")).isNull();
    Thread.sleep(5);
    assertThat(firewall.checkRate("10.0.0.2", HttpMethod.POST, "/")).isNull();
    assertThat(firewall.checkRate("10.0.0.2", HttpMethod.POST, "/")).as("its bucket is empty").isNotNull();
    Thread.sleep(5);
    assertThat(firewall.checkRate("10.0.0.3", HttpMethod.POST, "/")).as("a newcomer is tracked").isNull();
    assertThat(firewall.checkRate("10.0.0.3", HttpMethod.POST, "/")).as("and limited").isNotNull();
    assertThat(firewall.size()).isEqualTo(2);
    assertThat(registry.get("foobar_lb_client_table_evictions").counter().count()).isEqualTo(1);
    assertThat(firewall.checkRate("10.0.0.2", HttpMethod.POST, "/")).as("the newer of the two stayed").isNotNull();

    // Entries holding a connection are never evicted: with all of them busy a newcomer is served untracked.
    Firewall.Client a = firewall.connectionOpened("10.0.0.2");
    Firewall.Client b = firewall.connectionOpened("10.0.0.3");
    assertThat(firewall.connectionOpened("10.0.0.4")).isSameAs(Firewall.UNTRACKED);
    assertThat(registry.get("foobar_lb_client_table_untracked").counter().count()).isEqualTo(1);
    firewall.connectionClosed(a);
    firewall.connectionClosed(b);
    assertThat(firewall.connectionOpened("10.0.0.4")).isNotSameAs(Firewall.UNTRACKED);
    assertThat(registry.get("foobar_lb_client_table_evictions").counter().count()).isEqualTo(2);
  }

  @Test
  void byDefaultWritesUnderApiAreLimitedAndReadsAreNot() {
    deploy(new JsonObject());
    for (int i = 0; i < 30; i++) {
      assertThat(get("/api/posts").statusCode()).as("read " + i).isEqualTo(200);
    }
    int accepted = 0;
    HttpResponse<Buffer> limited = null;
    for (int i = 0; i < 15 && limited == null; i++) {
      HttpResponse<Buffer> response = Await.result(client.post("/api/posts").sendBuffer(Buffer.buffer("{}")));
      if (response.statusCode() == 429) {
        limited = response;
      } else {
        accepted++;
      }
    }
    assertThat(accepted).as("the burst").isBetween(10, 11);
    assertThat(limited).isNotNull();
    assertThat(limited.getHeader("Content-Type")).startsWith("application/json");
    assertThat(limited.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
    assertThat(limited.bodyAsJsonObject().getString("message")).contains("POST/PUT/DELETE");
    assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isEqualTo(1);
    assertThat(Await.result(client.delete("/api/posts/1").send()).statusCode()).isEqualTo(429);
    assertThat(Await.result(client.post("/contact").sendBuffer(Buffer.buffer("{}"))).statusCode())
      .as("outside /api/").isEqualTo(200);
    assertThat(get("/api/posts").statusCode()).isEqualTo(200);
  }

  @Test
  void forwardedForCountsOnlyFromATrustedProxy() throws Exception {
    JsonObject limit = new JsonObject().put("rateLimits", new JsonArray()
      .add(new JsonObject().put("prefix", "/api/").put("methods", new JsonArray().add("post")).put("rate", 0.1)
        .put("burst", 1)));
    deploy(limit.copy());
    assertThat(postAs("203.0.113.1").statusCode()).isEqualTo(200);
    assertThat(postAs("203.0.113.2").statusCode()).as("the peer is the client: the header is ignored")
      .isEqualTo(429);
    Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next()));

    deploy(limit.copy().put("trustedProxies", new JsonArray().add("127.0.0.0/8"))
      .put("deny", new JsonArray().add("198.51.100.0/24")).put("maxConnectionsPerClient", 1));
    assertThat(postAs("203.0.113.1").statusCode()).isEqualTo(200);
    assertThat(postAs("203.0.113.2").statusCode()).as("another client behind the proxy").isEqualTo(200);
    assertThat(postAs("203.0.113.1").statusCode()).as("the first one again").isEqualTo(429);
    assertThat(postAs("198.51.100.9, 203.0.113.3").statusCode())
      .as("the rightmost untrusted address is the client; what it put left of itself proves nothing").isEqualTo(200);
    assertThat(postAs("203.0.113.4, 198.51.100.9").statusCode()).as("denied").isEqualTo(403);
    assertThat(postAs("198.51.100.9, 127.0.0.5").statusCode()).as("trusted hops are skipped").isEqualTo(403);
    assertThat(postAs("[2001:db8::7]:4711").statusCode()).isEqualTo(200);
    assertThat(postAs("2001:db8:0:0::7").statusCode()).as("one client, however it is written").isEqualTo(429);
    assertThat(postAs("not-an-address").statusCode()).as("junk: the proxy itself is the client").isEqualTo(200);
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket socket = new Socket("127.0.0.1", balancer.actualPort());
        held.add(socket);
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket.getInputStream())).as("a trusted proxy is not capped").startsWith("HTTP/1.1 200");
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  /** A POST from this test's loopback address claiming, in X-Forwarded-For, to be from {@code forwardedFor}. */
  private HttpResponse<Buffer> postAs(String forwardedFor) {
    return Await.result(client.post("/api/posts").putHeader("X-Forwarded-For", forwardedFor)
      .sendBuffer(Buffer.buffer("{}")));
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
