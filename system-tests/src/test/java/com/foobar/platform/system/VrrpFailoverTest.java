package com.foobar.platform.system;

import com.foobar.platform.testing.TempDirs;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The balancer pair without a single point of failure, as shipped in {@code deploy/keepalived/}: two network
 * namespaces (two "machines"), each running a balancer JVM from its shaded jar and keepalived with the shipped
 * {@code keepalived.conf} (only its site variables replaced: addresses, interface, script path) and
 * {@code check-balancer.sh}; a third namespace runs a plain HTTP backend, a fourth a client polling the floating
 * address. Each balancer runs under the shipped {@code run-balancer.sh}. The active balancer's JVM is SIGKILLed;
 * the peer must take the address and the client must keep being served; failed requests are counted and may
 * be at most the ones in flight. All addresses are 10.99.0.0/24 inside namespaces this
 * test creates (joined by a bridge in a namespace of its own): nothing touches the host's network.
 *
 * <p>Needs root (CAP_NET_ADMIN), iproute2, keepalived, python3 and curl; without them it is skipped, saying why.
 */
class VrrpFailoverTest {

  private static final Logger LOG = LoggerFactory.getLogger(VrrpFailoverTest.class);
  private static final String VIP = "10.99.0.100";
  /**
   * The client sends one request at a time, about 20 a second. run-balancer.sh marks the state file the moment
   * the JVM dies and keepalived gives the address up at once (measured here: 0 or 1 failed request, the peer
   * holding the address about 0.2 s after the kill, as seen by polling every 0.1 s). What may fail is the
   * request in flight at the kill, and one caught on a connection while the address moves.
   */
  private static final int MAX_FAILED = 2;

  private static TestNetwork network;
  private static final String[] lbs = new String[2];
  private static String backend;
  private static String client;
  private static final Process[] balancers = new Process[2];
  private static Path dir;
  private static Path clientLog;

  @BeforeAll
  static void network() throws Exception {
    Requirements.need(TestNetwork.tool("keepalived", "--version"),
      "keepalived is not installed (apt-get install keepalived): skipped");
    Requirements.need(TestNetwork.tool("python3", "--version") && TestNetwork.tool("curl", "--version"),
      "python3 and curl are needed: skipped");
    network = TestNetwork.create("fbv");
    dir = TempDirs.create("foobar-vrrp-");
    lbs[0] = network.host("lb1", "10.99.0.11");
    lbs[1] = network.host("lb2", "10.99.0.12");
    backend = network.host("be", "10.99.0.20");
    client = network.host("cl", "10.99.0.30");
  }

  @AfterAll
  static void cleanUp() {
    if (network != null) {
      network.close();
    }
    TempDirs.delete(dir);
  }

  @Test
  void theFloatingAddressMovesWhenTheActiveBalancerDies() throws Exception {
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.writeString(site.resolve("index.html"), "foobar backend\n");
    start("backend", backend, "python3", "-m", "http.server", "8000", "--bind", "10.99.0.20",
      "--directory", site.toString());
    for (int i = 0; i < 2; i++) {
      balancers[i] = startBalancer(i);
    }
    for (int i = 0; i < 2; i++) {
      startKeepalived(i);
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
      .until(() -> holder() >= 0 && ready(0) && ready(1));
    int active = holder();
    int peer = 1 - active;
    LOG.info("{} holds {}; starting the client", lbs[active], VIP);

    clientLog = dir.resolve("client.log");
    Path stop = dir.resolve("stop");
    start("client", client, "python3", "-c", CLIENT, "http://" + VIP + ":8080/",
      stop.toString(), clientLog.toString());
    await().atMost(Duration.ofSeconds(30)).until(() -> count("OK") > 100);

    // The JVM itself (the wrapper's child) is SIGKILLed, as the OOM killer or a crash would end it.
    ProcessHandle jvm = balancers[active].toHandle().children().findFirst()
      .orElseThrow(() -> new IllegalStateException("the balancer's JVM is not running under run-balancer.sh"));
    jvm.destroyForcibly();
    long killedAt = System.nanoTime();
    LOG.info("SIGKILLed the balancer JVM of {} (pid {})", lbs[active], jvm.pid());
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> holder() == peer);
    LOG.info("{} took {} about {} ms after the kill", lbs[peer], VIP, (System.nanoTime() - killedAt) / 1_000_000);
    int okAtTakeover = count("OK");
    await().atMost(Duration.ofSeconds(30)).until(() -> count("OK") > okAtTakeover + 100);
    Files.writeString(stop, "stop");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(clientLog).contains("DONE"));

    List<String> failures = Files.readAllLines(clientLog).stream().filter(line -> line.startsWith("FAIL")).toList();
    String summary = failures.isEmpty() ? "" : "first " + failures.get(0) + ", last " + failures.get(failures.size() - 1);
    LOG.info("client: {} requests served, {} failed across the failover {}", count("OK"), failures.size(), summary);
    assertTrue(failures.size() <= MAX_FAILED, "at most " + MAX_FAILED + " requests may fail, " + failures.size()
      + " did: " + summary);
  }

  /** The balancer under the shipped run-balancer.sh, which tells keepalived (state file) when the JVM exits. */
  private static Process startBalancer(int index) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    JsonObject config = new JsonObject().put("host", "0.0.0.0").put("port", 8080)
      .put("management", new JsonObject().put("host", "127.0.0.1").put("port", 8180))
      .put("backends", new JsonArray().add("10.99.0.20:8000"))
      .put("healthCheckPath", "/").put("healthCheckIntervalMs", 200).put("accessLog", "off");
    Path conf = Files.writeString(dir.resolve("lb" + (index + 1) + ".json"), config.encode());
    return start("lb" + (index + 1), lbs[index], "sh",
      RepoRoot.find().resolve("deploy/keepalived/run-balancer.sh").toString(), stateFile(index).toString(),
      java.toString(), "-Xmx160m",
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dvertx.cacheDirBase=" + dir.resolve("lb" + (index + 1) + "-cache"),
      "-jar", TierProcess.jar("lb-verticle").toString(),
      "-conf", conf.toString());
  }

  private static Path stateFile(int index) {
    return dir.resolve("lb" + (index + 1) + ".state");
  }

  /** The shipped keepalived.conf with this test's site values in its variables. */
  private static void startKeepalived(int index) throws IOException {
    String node = "lb" + (index + 1);
    Path root = RepoRoot.find();
    String conf = Files.readString(root.resolve("deploy/keepalived/keepalived.conf"))
      .replaceFirst("(?m)^\\$VIP=.*$", "\\$VIP=" + VIP + "/24")
      .replaceFirst("(?m)^\\$LB1_IP=.*$", "\\$LB1_IP=10.99.0.11")
      .replaceFirst("(?m)^\\$LB2_IP=.*$", "\\$LB2_IP=10.99.0.12")
      .replaceFirst("(?m)^\\$CHECK=.*$", "\\$CHECK=" + root.resolve("deploy/keepalived/check-balancer.sh"))
      .replaceFirst("(?m)^\\$STATE_FILE=.*$", "\\$STATE_FILE=" + stateFile(index));
    Path file = Files.writeString(dir.resolve("keepalived-" + node + ".conf"), conf);
    start("keepalived-" + node, lbs[index], "keepalived", "--vrrp", "-f", file.toString(),
      "-n", "-l", "-D", "-i", node,
      "-p", dir.resolve(node + ".pid").toString(), "-r", dir.resolve(node + "-vrrp.pid").toString(),
      "-c", dir.resolve(node + "-checkers.pid").toString());
  }

  /** Which balancer namespace has the floating address: 0, 1, or -1 (none). */
  private static int holder() {
    for (int i = 0; i < 2; i++) {
      if (Processes.run(List.of("ip", "-n", lbs[i], "-4", "addr", "show", "dev", "eth0"), null, 10).output()
        .contains(VIP + "/")) {
        return i;
      }
    }
    return -1;
  }

  private static boolean ready(int index) {
    return network.run(lbs[index], List.of("curl", "-fsS", "-o", "/dev/null", "-m", "1",
      "http://127.0.0.1:8180/health/ready"), 10).exitCode() == 0;
  }

  private static int count(String prefix) throws IOException {
    return (int) Files.readAllLines(clientLog).stream().filter(line -> line.startsWith(prefix)).count();
  }

  private static Process start(String name, String ns, String... command) {
    return network.start(ns, dir.resolve(name + ".log"), Map.of(), List.of(command));
  }

  /** The client: one GET after another (new connection each, 2 s timeout), one line per request. */
  private static final String CLIENT = String.join("\n",
    "import sys, time, os, urllib.request",
    "url, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]",
    "with open(out, 'w', buffering=1) as log:",
    "    while not os.path.exists(stop):",
    "        t = time.time()",
    "        try:",
    "            with urllib.request.urlopen(url, timeout=2) as r:",
    "                r.read()",
    "                log.write('OK %.3f %d\\n' % (t, r.status))",
    "        except Exception as e:",
    "            log.write('FAIL %.3f %s\\n' % (t, e))",
    "        time.sleep(0.05)",
    "    log.write('DONE\\n')");
}
