package com.foobar.platform.system;

import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall's job, done by the defaults: every socket the topology listens on (balancer public and management,
 * both app servers' public and management ports, the monitor, MariaDB primary and replica) is bound to loopback,
 * read from the kernel's own tables ({@code /proc/net/tcp}, {@code /proc/net/tcp6}); and every committed config
 * file binds loopback too, so only an operator's explicit {@code host} for the balancer opens anything wider.
 */
class ListeningAddressesTest {

  private static Topology topology;

  @BeforeAll
  static void start() {
    topology = new Topology();
  }

  @AfterAll
  static void stop() {
    topology.close();
  }

  /** Listening port to the local addresses bound to it, from the kernel's socket tables. */
  static Map<Integer, List<String>> listening() throws Exception {
    Map<Integer, List<String>> sockets = new HashMap<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (!fields[3].equals("0A")) { // TCP_LISTEN
          continue;
        }
        String[] local = fields[1].split(":");
        sockets.computeIfAbsent(Integer.parseInt(local[1], 16), p -> new ArrayList<>()).add(local[0]);
      }
    }
    return sockets;
  }

  /** 127.0.0.0/8 as /proc writes it (little-endian hex), ::1, or ::ffff:127.x.y.z. */
  static boolean loopback(String hex) {
    if (hex.length() == 8) {
      return hex.endsWith("7F");
    }
    return hex.equals("00000000000000000000000001000000") || (hex.startsWith("0000000000000000FFFF0000")
      && hex.endsWith("7F"));
  }

  @Test
  void everyTierAndDatabaseListensOnLoopbackOnly() throws Exception {
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    ports.put("balancer public", topology.balancer.actualPort());
    ports.put("balancer management", topology.balancer.managementPort());
    for (int i = 0; i < 2; i++) {
      ports.put("app-" + (i + 1) + " public", topology.apps[i].actualPort());
      ports.put("app-" + (i + 1) + " management", topology.apps[i].managementPort());
    }
    ports.put("monitor", topology.monitor.actualPort());
    ports.put("MariaDB primary", topology.pair.primaryPort());
    ports.put("MariaDB replica", topology.pair.replicaPort());
    Map<Integer, List<String>> sockets = listening();
    ports.forEach((what, port) -> {
      assertThat(sockets.get(port)).as(what + " (port " + port + ") listens").isNotEmpty();
      assertThat(sockets.get(port)).as(what + " (port " + port + ") binds loopback only")
        .allMatch(ListeningAddressesTest::loopback);
    });
  }

  @Test
  void committedConfigsBindLoopback() throws Exception {
    try (Stream<Path> files = Files.list(RepoRoot.find().resolve("conf"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        JsonObject conf = new JsonObject(Files.readString(file));
        if (conf.containsKey("host")) {
          assertThat(conf.getString("host")).as(file + " host").isEqualTo("127.0.0.1");
        }
        if (conf.containsKey("management")) {
          assertThat(conf.getJsonObject("management").getString("host")).as(file + " management.host")
            .isEqualTo("127.0.0.1");
        }
      }
    }
  }
}
