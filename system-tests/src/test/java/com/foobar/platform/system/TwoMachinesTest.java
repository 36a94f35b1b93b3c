package com.foobar.platform.system;

import com.foobar.platform.testing.RepoRoot;
import com.foobar.platform.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's deployment "by hand with the Vert.x launcher, on two machines", run as written: two network
 * namespaces with the README's addresses ({@code m1} = 10.0.0.11, {@code m2} = 10.0.0.12) and a client
 * (10.0.0.30). MariaDB on each from Debian's binaries with the shipped {@code deploy/two-machines/mariadb-*.cnf},
 * the accounts of {@code docker/mariadb/users.sql} on the primary and {@code replica-setup.sql} on the replica, the
 * roles settled by {@code settle-roles} (both start read-only: the election makes the primary the writer of epoch
 * 1); then app-1, the balancer and the monitor on m1 and app-2 on m2, each {@code java -jar <tier>.jar -conf
 * conf/<tier>.json} with the environment of its {@code deploy/two-machines/*.env} file. The one deviation: the
 * secrets live in a temporary directory instead of {@code /etc/foobar/} (the files' paths are rewritten).
 *
 * <p>From the client: port 80 redirecting to HTTPS, the page over HTTPS (h2, HSTS) on 443, both app servers answering, a post written
 * (primary on m1) and read back (replica on m2, after replication across the "network"); the management ports
 * bound to loopback are not reachable from the client; the monitor on m1 sees every part up.
 * Needs root, iproute2, curl and MariaDB's binaries; without them it is skipped, saying why.
 */
class TwoMachinesTest {

  private static final Logger LOG = LoggerFactory.getLogger(TwoMachinesTest.class);
  private static final String M1 = "10.0.0.11";
  private static final String M2 = "10.0.0.12";
  private static final Pattern SERVED_BY = Pattern.compile("(?im)^x-served-by: *(\\S+)");
  /** The site as a visitor reaches it: HTTPS on m1 (self-signed here, so curl runs with -k). */
  private static final String SITE = "https://" + M1;

  private static TestNetwork network;
  private static String m1;
  private static String m2;
  private static String client;
  private static Path dir;
  private static Path secrets;
  private static String token;

  @BeforeAll
  static void machines() throws IOException {
    Requirements.need(TestNetwork.tool(MariaDbNode.binary("mariadbd"), "--version")
        && TestNetwork.tool(MariaDbNode.binary("mariadb"), "--version"),
      "MariaDB's binaries are not installed: skipped");
    Requirements.need(TestNetwork.tool("curl", "--version"), "curl is needed: skipped");
    network = TestNetwork.create("fb2m");
    m1 = network.host("m1", M1);
    m2 = network.host("m2", M2);
    client = network.host("cl", "10.0.0.30");
    dir = TempDirs.create("foobar-two-machines-");
    secrets = Files.createDirectories(dir.resolve("secrets"));
    for (String name : List.of("app", "repl", "monitor", "failover")) {
      Files.writeString(secrets.resolve(name + ".password"), randomHex());
    }
    token = randomHex();
    Files.writeString(secrets.resolve("management.token"), token);
  }

  @AfterAll
  static void tearDown() {
    if (network != null) {
      network.close();
    }
    TempDirs.delete(dir);
  }

  @Test
  void theReadmeDeploymentServesTheSiteFromTwoMachines() throws Exception {
    Path deploy = RepoRoot.find().resolve("deploy/two-machines");
    MariaDbNode primary = MariaDbNode.start(network, m1, deploy.resolve("mariadb-primary.cnf"), dir.resolve("db-m1"));
    MariaDbNode replica = MariaDbNode.start(network, m2, deploy.resolve("mariadb-replica.cnf"), dir.resolve("db-m2"));
    primary.sql(Files.readString(RepoRoot.find().resolve("docker/mariadb/users.sql"))
      .replace("@REPL_PASSWORD@", secret("repl")).replace("@APP_PASSWORD@", secret("app"))
      .replace("@MONITOR_PASSWORD@", secret("monitor")).replace("@FAILOVER_PASSWORD@", secret("failover")));
    replica.sql(Files.readString(deploy.resolve("replica-setup.sql")).replace("@REPL_PASSWORD@", secret("repl")));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
      .until(() -> replica.query("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'foobar_app'").equals("1"));
    assertThat(primary.query("SELECT @@read_only")).as("every node starts read-only").isEqualTo("1");
    Processes.Result settled = network.run(m1, List.of("env", "FOOBAR_SECRETS=" + secrets,
      "FOOBAR_MONITOR_JAR=" + TierProcess.jar("monitor-verticle"),
      "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
      deploy.resolve("settle-roles").toString()), 120);
    assertThat(settled.exitCode()).as(settled.output()).isZero();
    assertThat(settled.output()).contains("writer primary 10.0.0.11:3306 promoted now to epoch 1")
      .contains("follower replica 10.0.0.12:3306");
    assertThat(primary.query("SELECT @@read_only")).isEqualTo("0");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
      .until(() -> replica.query("SELECT server_id FROM foobar_ha.writer_epoch WHERE epoch = 1").equals("1"));

    tier("app-1", m1, "app-verticle", "app-1.json", "app-1.env", "-instances", "2");
    tier("app-2", m2, "app-verticle", "app-2.json", "app-2.env", "-instances", "2");
    tier("lb", m1, "lb-verticle", "lb.json", "lb.env", "-instances", "2");
    // No certificate installed: the balancer makes the self-signed one the monitor's probe trusts.
    Path selfSigned = secrets.resolve("tls/self-signed.crt");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> Files.exists(selfSigned));
    tier("monitor", m1, "monitor-verticle", "monitor.json", "monitor.env");

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
      .until(() -> servedBy(6).containsAll(Set.of("app-1", "app-2")));
    assertThat(fromClient("-fsS", SITE + "/")).contains("post-form");
    httpRedirectsAndHttpsServesH2WithHsts();

    String created = fromClient("-fsS", "-X", "POST", "-H", "Content-Type: application/json", "-d",
      "{\"author\":\"two-machines\",\"title\":\"across the network\",\"body\":\"written on m1, read on m2\"}",
      SITE + "/api/posts");
    Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(created);
    assertThat(id.find()).as("created: %s", created).isTrue();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
      replica.query("SELECT COUNT(*) FROM foobar.posts WHERE id = " + id.group(1)).equals("1"));
    assertThat(fromClient("-fsS", SITE + "/api/posts/" + id.group(1))).contains("across the network");

    for (String loopbackOnly : List.of(M1 + ":8180", M1 + ":8181", M1 + ":8190")) {
      // curl's exit code 7: nothing listens there for the client (the management ports are on loopback).
      assertThat(network.run(client, List.of("curl", "-s", "-o", "/dev/null", "-m", "2", "http://" + loopbackOnly), 10)
        .exitCode()).as("%s from the client", loopbackOnly).isEqualTo(7);
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> network.run(m1,
      List.of("curl", "-fsS", "-H", "Authorization: Bearer " + token, "http://127.0.0.1:8190/api/status?history=false"),
      10).output().contains("\"status\":\"UP\""));
    String status = network.run(m1, List.of("curl", "-fsS", "-H", "Authorization: Bearer " + token,
      "http://127.0.0.1:8190/api/status?history=false"), 10).output();
    assertThat(status).as("the monitor's failover manager keeps the settled writer")
      .contains("\"writer\":\"primary\",\"epoch\":1").contains("\"errant\":{}");
    LOG.info("two machines: site served by {} through https://{}, post {} replicated to {}, monitor UP",
      servedBy(4), M1, id.group(1), M2);
  }

  /**
   * Port 80 answers a 301 to the same URL over HTTPS (query kept), the ACME challenge path is still forwarded, and
   * HTTPS on 443 serves the page over h2 (ALPN) with HSTS; the balancer warned loudly about its self-signed
   * certificate.
   */
  private static void httpRedirectsAndHttpsServesH2WithHsts() throws IOException {
    assertThat(fromClient("-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
      "http://" + M1 + "/?page=2")).isEqualTo("301 https://" + M1 + "/?page=2");
    assertThat(fromClient("-sS", "-o", "/dev/null", "-w", "%{http_code}",
      "http://" + M1 + "/.well-known/acme-challenge/none")).as("forwarded, not redirected").isEqualTo("404");
    String https = fromClient("-ksS", "--http2", "-D", "-", SITE + "/");
    assertThat(https).startsWith("HTTP/2 200").containsIgnoringCase("strict-transport-security: max-age=31536000")
      .contains("post-form");
    assertThat(Files.readString(dir.resolve("lb.log"))).contains("HTTPS IS SERVED WITH A SELF-SIGNED CERTIFICATE");
  }

  /** Starts a tier in a namespace the README's way, with the environment of its deploy file. */
  private static void tier(String name, String ns, String module, String conf, String envFile, String... args)
    throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(RepoRoot.find().resolve("deploy/two-machines").resolve(envFile))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] pair = line.split("=", 2);
        env.put(pair[0], pair[1].replace("/etc/foobar/", secrets + "/"));
      }
    }
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dvertx.cacheDirBase=" + dir.resolve(name + "-cache"),
      "-jar", TierProcess.jar(module).toString(), "-conf", RepoRoot.find().resolve("conf").resolve(conf).toString()));
    command.addAll(List.of(args));
    network.start(ns, dir.resolve(name + ".log"), env, command);
  }

  /** The app servers that answered {@code requests} GETs through the balancer from the client. */
  private static Set<String> servedBy(int requests) {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < requests; i++) {
      Matcher matcher = SERVED_BY.matcher(fromClient("-sS", "-o", "/dev/null", "-D", "-", SITE + "/"));
      if (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }

  private static String fromClient(String... curlArgs) {
    List<String> command = new ArrayList<>(List.of("curl", "-k", "-m", "5"));
    command.addAll(List.of(curlArgs));
    return network.run(client, command, 15).output();
  }

  private static String secret(String name) throws IOException {
    return Files.readString(secrets.resolve(name + ".password"));
  }

  private static String randomHex() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
