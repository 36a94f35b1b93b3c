package com.foobar.platform.lb;

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
    assertThatThrownBy(() -> new FirewallOptions(new JsonObject().put("deny", new JsonArray().add("nope/8"))))
      .hasMessageContaining("firewall.deny");
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

  @Test
  void idleClientsAreForgotten() {
    FirewallOptions options = new FirewallOptions().setExpire(1000).setTableSize(2).setRateLimits(List.of(
      new FirewallOptions.RateLimit("/", 100, 100)));
    Firewall firewall = new Firewall(options);
    assertThat(firewall.checkRate("10.0.0.1", "/")).isNull();
    assertThat(firewall.checkRate("10.0.0.2", "/")).isNull();
    assertThat(firewall.checkRate("10.0.0.3", "/")).as("table full: served, not tracked").isNull();
    assertThat(firewall.size()).isEqualTo(2);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> firewall.sweep() >= 0
      && firewall.size() == 0);
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
