package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The balancer forwards concurrent requests with bodies without losing one, on its default transport and on each
 * one an operator can choose ({@code FOOBAR_TRANSPORT}).
 *
 * <p>On Netty 4.2.12 (what Vert.x 5.0.10 brings) the io_uring transport shut the output of a connection down
 * whenever two connections of one event loop did a gathering write in the same pass, which a proxy does all the
 * time (a request head and body to a backend while another response goes out; flush batching makes it more
 * likely): a misplaced {@code assert} in {@code IoUringIoHandler.iovArray()} (netty/netty#16705) threw, and Netty
 * turns a write failure that is not an {@code IOException} into a half-close. 30-50% of these requests failed
 * ("Connection was closed", or a 502 when it was the backend connection). It fires only with assertions enabled,
 * as Surefire runs tests, so the process-level tests never saw it; Netty 4.2.13 fixed it (parent pom).
 *
 * <p>The balancer runs on its own Vert.x on the transport under test; the backend and the clients share another,
 * on NIO, so a lost request can only be the balancer's doing.
 */
class BalancerTransportTest extends BalancerTestBase {

  private static final int ROUNDS = 50;
  private static final String SMALL_BODY = "{\"title\":\"t\",\"body\":\"b\"}";
  private static final String LARGE_BODY = "{\"body\":\"" + "x".repeat(64 * 1024) + "\"}";

  private Vertx peers;
  private final List<WebClient> clients = new ArrayList<>();

  @AfterEach
  void closeAll() {
    clients.forEach(WebClient::close);
    if (vertx != null) {
      Await.result(vertx.close());
    }
    if (peers != null) {
      Await.result(peers.close());
    }
  }

  /** {@code auto} is the balancer's default: the transport its jar's tier.properties names. */
  @ParameterizedTest(name = "FOOBAR_TRANSPORT={0}")
  @ValueSource(strings = {"auto", "io_uring", "epoll", "nio"})
  void concurrentPostsWithBodiesAndGetsAllSucceed(String transport) {
    Transport expected = transport.equals("auto") ? byName(tierDefault()) : byName(transport);
    assumeTrue(expected.available(), () -> transport + " cannot load here: " + expected.unavailabilityCause());
    peers = vertxOn("nio");
    vertx = vertxOn(transport);
    assertThat(((VertxInternal) vertx).transport().getClass())
      .as("the balancer's transport").isEqualTo(expected.implementation().getClass());
    TestBackend backend = new TestBackend(peers, "a");
    deploy(new JsonArray().add(backend.address()), new JsonObject()
      .put("firewall", new JsonObject().put("rateLimits", new JsonArray()).put("maxConnectionsPerClient", 0)));
    WebClient writer = peerClient();
    WebClient reader = peerClient();

    List<String> failures = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      reads.add(reader.get("/api/posts").send());
      String body = i % 5 == 4 ? LARGE_BODY : SMALL_BODY; // most small, some streamed in several reads
      try {
        HttpResponse<Buffer> response = Await.result(writer.post("/api/posts")
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
        check(failures, "POST " + i, response, "POST", body.length());
      } catch (RuntimeException e) {
        failures.add("POST " + i + ": " + e);
      }
    }
    for (int i = 0; i < reads.size(); i++) {
      try {
        check(failures, "GET " + i, Await.result(reads.get(i)), "GET", 0);
      } catch (RuntimeException e) {
        failures.add("GET " + i + ": " + e);
      }
    }
    assertThat(failures).as("requests that failed through the balancer on " + transport).isEmpty();
  }

  private static void check(List<String> failures, String what, HttpResponse<Buffer> response, String method,
                            int bodyLength) {
    JsonObject echo = response.statusCode() == 200 ? response.bodyAsJsonObject() : null;
    if (echo == null || !method.equals(echo.getString("method")) || echo.getInteger("bodyLength") != bodyLength) {
      failures.add(what + ": " + response.statusCode() + " " + response.bodyAsString());
    }
  }

  private WebClient peerClient() {
    WebClient client = WebClient.create(peers, new WebClientOptions().setDefaultPort(balancer.actualPort()));
    clients.add(client);
    return client;
  }

  /** A Vert.x as a tier gets it from PlatformVertxProvider, with {@code -Dfoobar.transport} set to this one. */
  private static synchronized Vertx vertxOn(String transport) {
    String before = System.getProperty("foobar.transport");
    System.setProperty("foobar.transport", transport);
    try {
      return Vertx.vertx();
    } finally {
      if (before == null) {
        System.clearProperty("foobar.transport");
      } else {
        System.setProperty("foobar.transport", before);
      }
    }
  }

  private static String tierDefault() {
    Properties tier = new Properties();
    try (InputStream in = BalancerTransportTest.class.getClassLoader()
      .getResourceAsStream("META-INF/foobar/tier.properties")) {
      tier.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Objects.requireNonNull(tier.getProperty("transport"), "the balancer's tier.properties names no transport");
  }

  private static Transport byName(String name) {
    switch (name) {
      case "io_uring":
        return Transport.IO_URING;
      case "epoll":
        return Transport.EPOLL;
      case "nio":
        return Transport.NIO;
      default:
        throw new IllegalArgumentException("unknown transport " + name);
    }
  }
}
