package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.FreePorts;
import com.foobar.platform.testing.RepoRoot;
import com.foobar.platform.testing.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Compose balancer's HTTPS, run for real without a Docker engine: {@code docker/make-secrets.sh} run in a
 * copy of {@code docker/}, then the balancer's jar with {@code conf/lb.json} and exactly the environment
 * {@code compose.yaml} gives the service (its {@code /run/secrets/*} paths pointed at the made files, the ports at
 * free ones). Plain HTTP answers a 301 to {@code https://<host><path>?<query>} on the published 443; HTTPS serves
 * with the made certificate (verified, not trusted blindly) over h2 with HSTS; and the log warns loudly that the
 * certificate is self-signed.
 */
class ComposeHttpsTest {

  private static Vertx vertx;
  private static HttpServer backend;
  private static Path docker;

  @BeforeAll
  static void start() throws Exception {
    Requirements.need(TestNetwork.tool("openssl", "version"), "openssl is needed by make-secrets.sh: skipped");
    vertx = Vertx.vertx();
    backend = Await.result(vertx.createHttpServer()
      .requestHandler(request -> request.response().end("<html>page " + request.uri() + "</html>"))
      .listen(0, "127.0.0.1"));
    docker = TempDirs.create("foobar-compose-https-");
    Files.copy(RepoRoot.find().resolve("docker/make-secrets.sh"), docker.resolve("make-secrets.sh"));
    Processes.Result made = Processes.run(List.of("sh", docker.resolve("make-secrets.sh").toString()), null, 60);
    assertThat(made.exitCode()).as(made.output()).isZero();
    assertThat(made.output()).as("make-secrets.sh warns when it makes a self-signed certificate")
      .contains("SELF-SIGNED");
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
    TempDirs.delete(docker);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theComposeBalancerRedirectsPlainHttpAndServesHttpsWithH2AndHsts() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(RepoRoot.find().resolve("docker/compose.yaml")));
    Map<String, Object> balancer = ((Map<String, Map<String, Object>>) compose.get("services")).get("balancer");
    Map<String, Map<String, String>> secrets = (Map<String, Map<String, String>>) compose.get("secrets");
    Map<String, String> env = new TreeMap<>();
    ((Map<?, ?>) balancer.get("environment")).forEach((key, value) -> {
      String text = String.valueOf(value);
      for (Map.Entry<String, Map<String, String>> secret : secrets.entrySet()) {
        text = text.replace("/run/secrets/" + secret.getKey(),
          docker.resolve(secret.getValue().get("file")).normalize().toString());
      }
      env.put(String.valueOf(key), text);
    });
    int http = FreePorts.next();
    int https = FreePorts.next();
    env.putAll(Map.of("FOOBAR_LB_HOST", "127.0.0.1", "FOOBAR_LB_PORT", String.valueOf(http),
      "FOOBAR_LB_TLS_PORT", String.valueOf(https), "FOOBAR_LB_MANAGEMENT_PORT", String.valueOf(FreePorts.next()),
      "FOOBAR_LB_BACKENDS", "127.0.0.1:" + backend.actualPort()));
    JsonObject conf = new JsonObject(Files.readString(RepoRoot.find().resolve("conf/lb.json")));
    try (TierProcess lb = TierProcess.start("lb", "lb-verticle", conf, List.of(), List.of(), env)) {
      HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<String> redirect = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/posts?page=2&q=x"))
          .build(), HttpResponse.BodyHandlers.ofString()), response -> response != null);
      assertThat(redirect.statusCode()).as(lb.tail()).isEqualTo(301);
      assertThat(redirect.headers().firstValue("Location")).hasValue("https://127.0.0.1/posts?page=2&q=x");

      HttpClient secure = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .sslContext(trusting(docker.resolve(secrets.get("tls_cert").get("file")).normalize())).build();
      HttpResponse<String> page = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> secure.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/?a=1")).build(),
          HttpResponse.BodyHandlers.ofString()), response -> response.statusCode() == 200);
      assertThat(page.version()).as("h2 through ALPN").isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
      assertThat(page.body()).contains("page /?a=1");
      assertThat(lb.logText()).as("the balancer warns at start that its certificate is self-signed")
        .contains("HTTPS IS SERVED WITH A SELF-SIGNED CERTIFICATE");
    }
  }

  /** An SSL context trusting exactly {@code pem}: the hostname is still verified (the certificate names 127.0.0.1). */
  static SSLContext trusting(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      store.setCertificateEntry("balancer", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
