package com.foobar.platform.lb.edge;

import com.foobar.platform.testing.Await;
import io.netty.handler.ssl.OpenSsl;
import io.netty.util.ReferenceCounted;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tls.engine}: the HTTPS listener's options (the ones the balancer's listener is built from) put BoringSSL
 * under a live connection by default here (the jar carries linux-x86_64's native library), the JDK's engine when
 * asked, and {@code openssl} is refused at start only where BoringSSL cannot load.
 */
@ExtendWith(VertxExtension.class)
class TlsEngineTest {

  @TempDir
  Path dir;

  @Test
  void boringSslServesTheLiveConnectionByDefault(Vertx vertx) throws Exception {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative loads: %s", OpenSsl.unavailabilityCause()).isTrue();
    SSLEngine engine = engineOfALiveConnection(vertx, new JsonObject());
    assertThat(engine.getClass().getName()).contains("OpenSsl");
    assertThat(engine.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(OpenSsl.versionString()).contains("BoringSSL");
  }

  @Test
  void aClosedConnectionFreesItsBoringSslEngineAtOnceWithoutAFinalizer(Vertx vertx) throws Exception {
    SSLEngine engine = engineOfALiveConnection(vertx, new JsonObject());
    // Finalized engines (Vert.x's default provider) made every young collection wait on thousands of them.
    assertThat(engine).isInstanceOf(ReferenceCounted.class);
    assertThat(finalizerIn(engine.getClass())).as("a finalize() in %s", engine.getClass()).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(5))
      .untilAsserted(() -> assertThat(((ReferenceCounted) engine).refCnt()).isZero());
  }

  @Test
  void theJdkEngineWhenConfigured(Vertx vertx) throws Exception {
    SSLEngine engine = engineOfALiveConnection(vertx, new JsonObject().put("engine", "jdk"));
    assertThat(engine.getClass().getName()).contains("Jdk").doesNotContain("OpenSsl");
  }

  @Test
  void openSslIsAStartProblemOnlyWhereItCannotLoad() throws Exception {
    EdgeSecurityTest.certificate(dir, "a.test");
    assertThat(TlsSetup.problems(options(new JsonObject().put("engine", "openssl")))).isEmpty();
    assertThat(TlsEngine.problem("auto")).isEmpty();
    assertThat(TlsEngine.problem("jdk")).isEmpty();
  }

  private static boolean finalizerIn(Class<?> type) {
    for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
      if (Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.getName().equals("finalize")
        && m.getParameterCount() == 0)) {
        return true;
      }
    }
    return false;
  }

  private TlsOptions options(JsonObject extra) {
    JsonObject json = new JsonObject().put("port", 0).put("certificates", new JsonArray().add(new JsonObject()
      .put("cert", dir.resolve("a.test.crt").toString()).put("key", dir.resolve("a.test.key").toString())))
      .mergeIn(extra);
    return new TlsOptions(TlsOptions.SCHEMA.bind(json, warning -> { }));
  }

  /** Starts a server with TlsSetup's options, makes one HTTPS request, returns the server side's engine. */
  private SSLEngine engineOfALiveConnection(Vertx vertx, JsonObject extra) throws Exception {
    EdgeSecurityTest.certificate(dir, "a.test");
    CompletableFuture<SSLEngine> seen = new CompletableFuture<>();
    HttpServerOptions base = new HttpServerOptions().setHost("127.0.0.1");
    HttpServer server = Await.result(vertx.createHttpServer(new TlsSetup(options(extra)).serverOptions(base))
      .connectionHandler(connection -> seen.complete(VertxInternals.sslEngine(connection)))
      .requestHandler(request -> request.response().end("ok"))
      .listen());
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
      .setVerifyHost(false));
    try {
      String body = Await.result(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
        .compose(request -> request.send()).compose(response -> response.body()))
        .toString();
      assertThat(body).isEqualTo("ok");
      return seen.get(10, TimeUnit.SECONDS);
    } finally {
      Await.result(client.close());
      Await.result(server.close());
    }
  }
}
