package com.foobar.platform.lb.edge;

import com.foobar.platform.lb.TestCertificates;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** HTTPS at the balancer: SNI over two certificates, TLS versions, HTTP/2, HSTS, redirect, reload, proto header. */
@ExtendWith(VertxExtension.class)
class EdgeSecurityTest extends BalancerTestBase {

  @TempDir
  Path dir;
  private TestBackend a;

  @BeforeEach
  void backend(Vertx vertx) {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
  }

  /** A self-signed EC certificate for {@code name}, valid for two days. */
  static void certificate(Path dir, String name) throws Exception {
    TestCertificates.make(dir, name, 2);
  }

  private JsonObject tls(String... names) {
    JsonArray certs = new JsonArray();
    for (String name : names) {
      certs.add(new JsonObject().put("cert", dir.resolve(name + ".crt").toString())
        .put("key", dir.resolve(name + ".key").toString()));
    }
    return new JsonObject().put("port", 0).put("certificates", certs).put("reloadIntervalMs", 200);
  }

  /** The subject CN the server presents for {@code sni} with the given protocol, by a raw JDK TLS handshake. */
  private String presented(String sni, String protocol) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", balancer.tlsPort())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(sni)));
      parameters.setProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  private HttpClientAgent httpsClient(HttpVersion version) {
    return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
      .setUseAlpn(true).setProtocolVersion(version).setDefaultPort(balancer.tlsPort()).setDefaultHost("127.0.0.1"));
  }

  @Test
  void httpsServesHttp2WithHstsAndTellsTheBackendItWasHttps() throws Exception {
    certificate(dir, "a.test");
    deploy(new JsonArray().add(a.address()), new JsonObject().put("tls", tls("a.test")));
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/echo").statusCode() == 200);
    HttpClientAgent https = httpsClient(HttpVersion.HTTP_2);
    // The body is asked for in the same chain: a response not read at once would drop its body.
    java.util.concurrent.atomic.AtomicReference<HttpClientResponse> answered = new java.util.concurrent.atomic.AtomicReference<>();
    JsonObject echo = Await.result(https.request(new RequestOptions().setURI("/echo"))
      .compose(request -> request.send())
      .compose(r -> {
        answered.set(r);
        return r.body();
      })).toJsonObject();
    HttpClientResponse response = answered.get();
    assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
    assertThat(echo.getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("https");
    HttpResponse<Buffer> plain = get("/echo");
    assertThat(plain.statusCode()).as("plain HTTP keeps serving while redirect is off").isEqualTo(200);
    assertThat(plain.getHeader("Strict-Transport-Security")).as("no HSTS over plain HTTP").isNull();
    assertThat(plain.bodyAsJsonObject().getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("http");
    Await.result(https.close());
  }

  @Test
  void onlyTls12And13AreSpoken() throws Exception {
    certificate(dir, "a.test");
    deploy(new JsonArray().add(a.address()), new JsonObject().put("tls", tls("a.test")));
    assertThat(presented("a.test", "TLSv1.3")).isEqualTo("CN=a.test");
    assertThat(presented("a.test", "TLSv1.2")).isEqualTo("CN=a.test");
    // The client really offers TLS 1.1: a server that allows it (this test's own) agrees on it.
    NetServer legacy = Await.result(vertx.createNetServer(new NetServerOptions().setSsl(true)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.1")).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(dir.resolve("a.test.crt").toString()).setKeyPath(dir.resolve("a.test.key").toString())))
      .connectHandler(socket -> { }).listen(0, "127.0.0.1"));
    assertThat(negotiated(legacy.actualPort(), "TLSv1.1")).as("the client offers TLS 1.1").isEqualTo("TLSv1.1");
    Await.result(legacy.close());
    // The balancer does not.
    assertThatThrownBy(() -> negotiated(balancer.tlsPort(), "TLSv1.1")).isInstanceOf(javax.net.ssl.SSLException.class);
  }

  /** The protocol a raw JDK TLS handshake offering only {@code protocol} agrees on with the server on {@code port}. */
  private static String negotiated(int port, String protocol) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return socket.getSession().getProtocol();
    }
  }

  @Test
  void sniPicksTheCertificateByNameAndTheFirstIsTheDefault() throws Exception {
    certificate(dir, "a.test");
    certificate(dir, "b.test");
    deploy(new JsonArray().add(a.address()), new JsonObject().put("tls", tls("a.test", "b.test")));
    assertThat(presented("b.test", "TLSv1.3")).isEqualTo("CN=b.test");
    assertThat(presented("a.test", "TLSv1.3")).isEqualTo("CN=a.test");
    assertThat(presented("unknown.test", "TLSv1.3")).isEqualTo("CN=a.test");
  }

  @Test
  void aChangedCertificateIsServedWithoutRestart() throws Exception {
    certificate(dir, "a.test");
    certificate(dir, "b.test");
    deploy(new JsonArray().add(a.address()), new JsonObject().put("tls", tls("a.test")));
    assertThat(presented("a.test", "TLSv1.3")).isEqualTo("CN=a.test");
    // Replace a.test's files with b.test's contents (as certbot renewing in place would).
    Files.copy(dir.resolve("b.test.crt"), dir.resolve("a.test.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(dir.resolve("b.test.key"), dir.resolve("a.test.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    FileTime later = FileTime.fromMillis(System.currentTimeMillis() + 5000);
    Files.setLastModifiedTime(dir.resolve("a.test.crt"), later);
    Files.setLastModifiedTime(dir.resolve("a.test.key"), later);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
      .until(() -> presented("a.test", "TLSv1.3").equals("CN=b.test"));
    assertThat(get("/echo").statusCode()).isEqualTo(200);
  }

  @Test
  void plainHttpIsRedirectedWhenConfigured() throws Exception {
    certificate(dir, "a.test");
    deploy(new JsonArray().add(a.address()), new JsonObject().put("tls", tls("a.test").put("plainHttp", "redirect")));
    HttpResponse<Buffer> response = Await.result(client.get("/posts?x=1").putHeader("Host", "www.example.test")
      .followRedirects(false).send());
    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.getHeader("Location")).isEqualTo("https://www.example.test:" + balancer.tlsPort() + "/posts?x=1");
    assertThat(a.requests.get()).as("a redirect never reaches a backend").isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> adminJson("/admin/backends/" + a.address())
      .getString("state").equals("UP"));
    HttpClientAgent https = httpsClient(HttpVersion.HTTP_1_1);
    int status = Await.result(https.request(HttpMethod.GET, "/echo").compose(r -> r.send())).statusCode();
    assertThat(status).isEqualTo(200);
    Await.result(https.close());
  }

  @Test
  void withoutCertificatesThereIsNoHttpsListener() {
    deploy(new JsonArray().add(a.address()), new JsonObject());
    assertThat(balancer.tlsPort()).isEqualTo(-1);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/echo").statusCode() == 200);
  }

  @Test
  void aMissingCertificateFileFailsTheStart() {
    JsonObject config = new JsonObject().put("port", 0).put("management", new JsonObject().put("port", 0))
      .put("tls", new JsonObject().put("port", 0).put("certificates", new JsonArray().add(
        new JsonObject().put("cert", dir.resolve("none.crt").toString()).put("key", dir.resolve("none.key").toString()))));
    assertThatThrownBy(() -> Await.result(vertx.deployVerticle(new LoadBalancerVerticle(),
      new io.vertx.core.DeploymentOptions().setConfig(config)))).hasMessageContaining("none.crt");
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
