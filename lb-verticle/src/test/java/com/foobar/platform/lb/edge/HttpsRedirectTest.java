package com.foobar.platform.lb.edge;

import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The plain-HTTP listener in {@code plainHttp: redirect} mode: a 301 to the same host, path and query over HTTPS,
 * the ACME challenge path still forwarded, a bad or missing Host a JSON 400; and HTTPS without a certificate from
 * the self-signed one the balancer makes in {@code selfSignedDir} (h2 through ALPN, HSTS).
 */
@ExtendWith(VertxExtension.class)
class HttpsRedirectTest extends BalancerTestBase {

  @TempDir
  Path dir;
  private TestBackend backend;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    backend = new TestBackend(vertx, "a");
  }

  private void deploy(JsonObject tls) {
    // Patient checks: the machine may be busy (a key generation, other tests) and a backend flapping DOWN is not
    // what these tests are about.
    deploy(new JsonArray().add(backend.address()), new JsonObject().put("healthCheckTimeoutMs", 2000).put("fall", 5)
      .put("tls", tls.put("port", 0).put("selfSignedDir", dir.toString())));
    await().atMost(Duration.ofSeconds(10)).until(() -> adminJson("/admin/backends/" + backend.address())
      .getString("state").equals("UP"));
  }

  private HttpResponse<Buffer> plain(String uri, String host) {
    return Await.result(client.get(uri).putHeader("Host", host).followRedirects(false).send());
  }

  @Test
  void plainHttpIsRedirectedWithHostPathAndQueryKept() {
    deploy(new JsonObject().put("plainHttp", "redirect").put("redirectPort", 443));
    HttpResponse<Buffer> response = plain("/posts/7?page=2&q=a%20b", "www.example.test:8080");
    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.getHeader("Location")).isEqualTo("https://www.example.test/posts/7?page=2&q=a%20b");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("https_required");
    assertThat(plain("/", "10.0.0.11").getHeader("Location")).isEqualTo("https://10.0.0.11/");
    assertThat(plain("/x", "[2001:db8::1]:80").getHeader("Location")).isEqualTo("https://[2001:db8::1]/x");
    assertThat(backend.requests.get()).as("a redirect never reaches a backend").isZero();
  }

  @Test
  void theAcmeChallengeStaysOnPlainHttp() {
    deploy(new JsonObject().put("plainHttp", "redirect"));
    HttpResponse<Buffer> challenge = plain("/.well-known/acme-challenge/tok3n", "www.example.test");
    assertThat(challenge.statusCode()).isEqualTo(200);
    assertThat(backend.requests.get()).isEqualTo(1);
    assertThat(plain("/.well-known/other", "www.example.test").statusCode()).isEqualTo(301);
  }

  @Test
  void aBadOrMissingHostGetsAJson400InsteadOfARedirect() throws Exception {
    deploy(new JsonObject().put("plainHttp", "redirect"));
    for (String host : new String[] {"evil.test/x", "a b", "user@evil.test", "", "host:port"}) {
      HttpResponse<Buffer> response = plain("/", host);
      assertThat(response.statusCode()).as("Host: %s", host).isEqualTo(400);
      assertThat(response.getHeader("Location")).isNull();
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_host");
    }
    String noHost = raw("GET /page HTTP/1.0\r\n\r\n");
    assertThat(noHost).startsWith("HTTP/1.0 400 ").contains("\"error\":\"bad_host\"").doesNotContain("Location");
    assertThat(backend.requests.get()).isZero();
  }

  @Test
  void servingIsStillTheDefault() {
    deploy(new JsonObject());
    assertThat(plain("/", "www.example.test").statusCode()).isEqualTo(200);
  }

  @Test
  void withoutACertificateHttpsServesASelfSignedOneKeptInItsDirectory() throws Exception {
    deploy(new JsonObject().put("plainHttp", "redirect"));
    Path cert = dir.resolve("self-signed.crt");
    assertThat(SelfSigned.isSelfSigned(cert.toString())).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("self-signed.key"))))
      .isEqualTo("rw-------");
    HttpClientAgent https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
      .setVerifyHost(false).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
      .setDefaultPort(balancer.tlsPort()).setDefaultHost("127.0.0.1"));
    AtomicReference<HttpClientResponse> answered = new AtomicReference<>();
    Buffer body = Await.result(https.request(new RequestOptions().setURI("/echo")).compose(request -> request.send())
      .compose(response -> {
        answered.set(response);
        return response.body();
      }));
    assertThat(answered.get().statusCode()).as("%s %s", body, adminJson("/admin/backends")).isEqualTo(200);
    assertThat(answered.get().version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(answered.get().getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
    Await.result(https.close());
    byte[] first = Files.readAllBytes(cert);
    Await.result(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
    deploy(new JsonObject());
    assertThat(Files.readAllBytes(cert)).as("kept across restarts").isEqualTo(first);
  }

  private String raw(String request) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), balancer.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
