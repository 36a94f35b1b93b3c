package com.foobar.platform.system;

import com.foobar.platform.app.AppOptions;
import com.foobar.platform.app.AppVerticle;
import com.foobar.platform.common.EnvOverrides;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.monitor.MonitorOptions;
import com.foobar.platform.monitor.MonitorVerticle;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What can be checked of {@code docker/compose.yaml} without a Docker engine: it parses (YAML anchors and merge
 * keys resolved); only the balancer publishes ports, 80 and 443; every {@code FOOBAR_<TIER>_*} variable of a
 * service names an existing key of the conf file its image bakes in, and the tier's options class accepts the
 * result; every service has a health check and every dependency waits on a condition; and, where the Docker
 * Compose plugin exists, {@code docker compose config} accepts the file.
 */
class ComposeFileTest {

  private static final Map<String, String> PREFIXES = Map.of(
    "lb-verticle", LoadBalancerVerticle.ENV_PREFIX,
    "app-verticle", AppVerticle.ENV_PREFIX,
    "monitor-verticle", MonitorVerticle.ENV_PREFIX);
  private static final Map<String, JsonObject> DEFAULTS = Map.of(
    "lb-verticle", LoadBalancerOptions.SCHEMA.defaults().toJson(),
    "app-verticle", new AppOptions().toJson(),
    "monitor-verticle", MonitorOptions.SCHEMA.defaults().toJson());
  private static final Map<String, Function<JsonObject, Object>> OPTIONS = Map.of(
    "lb-verticle", json -> LoadBalancerOptions.SCHEMA.bind(json, warning -> { }),
    "app-verticle", AppOptions::new,
    "monitor-verticle", MonitorOptions::new);

  /** Read by every tier (ManagementToken), not a key of a tier's options. */
  private static final Set<String> COMMON = Set.of(ManagementToken.ENV, ManagementToken.ENV_FILE);
  private static final Pattern SECRET = Pattern.compile("/run/secrets/([A-Za-z0-9_]+)");

  private static Path root;
  private static Map<String, Map<String, Object>> services;
  private static Map<String, Object> compose;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws IOException {
    root = RepoRoot.find();
    compose = new Yaml().load(Files.readString(root.resolve("docker/compose.yaml")));
    services = (Map<String, Map<String, Object>>) compose.get("services");
    assertNotNull(services, "compose.yaml has services");
  }

  @Test
  void theWholeTopologyIsThere() {
    assertEquals(new TreeSet<>(List.of("db-primary", "db-replica", "app-1", "app-2", "balancer", "monitor",
      "prometheus")), new TreeSet<>(services.keySet()));
  }

  @Test
  void onlyTheBalancerPublishesPortsAndOnly80And443() {
    services.forEach((name, service) -> {
      if (!name.equals("balancer")) {
        assertFalse(service.containsKey("ports"), name + " must not publish ports: " + service.get("ports"));
      }
    });
    List<?> ports = (List<?>) services.get("balancer").get("ports");
    Set<String> published = new TreeSet<>();
    ports.forEach(port -> published.add(String.valueOf(port).split(":")[0]));
    assertEquals(Set.of("443", "80"), published);
    // The target of port 80 is the port the balancer is told to listen on.
    assertTrue(ports.contains("80:" + environment("balancer").get("FOOBAR_LB_PORT")), "80 maps to FOOBAR_LB_PORT");
  }

  /** Users arrive over HTTPS: port 80 only redirects (to the published 443), the probe comes in over HTTPS too. */
  @Test
  void plainHttpRedirectsToThePublishedHttpsPortAndTheProbeUsesHttps() {
    Map<String, String> balancer = environment("balancer");
    assertEquals("redirect", balancer.get("FOOBAR_LB_TLS_PLAIN_HTTP"));
    assertEquals("443", balancer.get("FOOBAR_LB_TLS_REDIRECT_PORT"), "the redirect names the published port");
    assertTrue(balancer.get("FOOBAR_LB_TLS_CERTIFICATES").contains("/run/secrets/tls_cert"));
    assertTrue(((List<?>) services.get("balancer").get("ports")).contains("443:8443"), "443 maps to the TLS port");
    Map<String, String> monitor = environment("monitor");
    assertEquals("https://balancer:8443", monitor.get("FOOBAR_MONITOR_SYNTHETIC_URL"));
    assertEquals("/run/secrets/tls_cert", monitor.get("FOOBAR_MONITOR_SYNTHETIC_TRUST_FILE"));
  }

  @Test
  void everyServiceHasAHealthCheckAndEveryDependencyACondition() {
    services.forEach((name, service) -> {
      assertTrue(service.containsKey("healthcheck"), name + " has a healthcheck");
      Object dependsOn = service.get("depends_on");
      if (dependsOn != null) {
        assertTrue(dependsOn instanceof Map, name + ": depends_on uses the long form with conditions");
        ((Map<?, ?>) dependsOn).forEach((dependency, spec) -> {
          assertTrue(services.containsKey(String.valueOf(dependency)), name + " depends on a real service");
          assertEquals("service_healthy", ((Map<?, ?>) spec).get("condition"),
            name + " waits until " + dependency + " is healthy");
        });
      }
    });
  }

  /**
   * Both databases start read-only (the monitor's failover manager elects the writer, as scripts/mariadb-pair
   * does locally), keep a week of binlogs, and replicate semi-synchronously; the monitor waits for the databases
   * only and the app servers (whose schema migration needs a writer) wait for the monitor.
   */
  @Test
  @SuppressWarnings("unchecked")
  void everyDatabaseStartsReadOnlyAndTheMonitorSettlesTheWriterBeforeTheAppsStart() {
    for (String db : List.of("db-primary", "db-replica")) {
      List<String> command = (List<String>) services.get(db).get("command");
      assertTrue(command.contains("--read-only=ON"), db + " starts read-only: " + command);
      assertTrue(command.contains("--binlog-expire-logs-seconds=604800"), db + " purges binlogs after a week");
      assertTrue(command.contains("--rpl-semi-sync-master-wait-point=AFTER_SYNC"), db + " is semi-synchronous");
    }
    assertEquals(Set.of("db-primary", "db-replica"), ((Map<String, ?>) services.get("monitor").get("depends_on")).keySet());
    for (String app : List.of("app-1", "app-2")) {
      assertTrue(((Map<String, ?>) services.get(app).get("depends_on")).containsKey("monitor"), app + " waits for the monitor");
    }
  }

  /** Each variable alone must land on an existing key (no new key appears); all together must make valid options. */
  @Test
  void everyTierVariableMapsOntoAKeyOfItsOptions() throws IOException {
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      Map<?, ?> args = buildArgs(service.getValue());
      if (args == null) {
        continue;
      }
      String tier = String.valueOf(args.get("TIER"));
      String prefix = PREFIXES.get(tier);
      assertNotNull(prefix, service.getKey() + ": unknown TIER " + tier);
      JsonObject base = DEFAULTS.get(tier).copy()
        .mergeIn(new JsonObject(Files.readString(root.resolve("conf/" + args.get("CONF") + ".json"))), true);
      Map<String, String> env = environment(service.getKey());
      for (Map.Entry<String, String> variable : env.entrySet()) {
        if (!variable.getKey().startsWith("FOOBAR_") || COMMON.contains(variable.getKey())) {
          continue;
        }
        assertTrue(variable.getKey().startsWith(prefix), service.getKey() + ": " + variable.getKey()
          + " is not read by " + tier + " (prefix " + prefix + ")");
        JsonObject applied = EnvOverrides.apply(base, Map.of(variable.getKey(), variable.getValue()), prefix);
        // Only existing keys change; the one thing that may appear is an element of an existing array
        // (a JSON array value such as the TLS certificate list).
        Set<String> added = new TreeSet<>(paths(applied, ""));
        added.removeAll(paths(base, ""));
        Set<String> arrays = arrays(base, "");
        added.removeIf(path -> arrays.stream().anyMatch(array -> path.startsWith(array + "[")));
        assertEquals(Set.of(), added, service.getKey() + ": " + variable.getKey() + " names no existing key");
        assertTrue(paths(applied, "").containsAll(paths(base, "")), service.getKey() + ": " + variable.getKey()
          + " removed a key");
        checked++;
      }
      JsonObject all = EnvOverrides.apply(base, env, prefix);
      OPTIONS.get(tier).apply(all);
      // The image's HEALTHCHECK port is the management port the service configures.
      Object health = args.get("HEALTH_PORT");
      String management = env.getOrDefault(prefix + "MANAGEMENT_PORT", env.get(prefix + "PORT"));
      assertEquals(String.valueOf(health), management, service.getKey() + ": HEALTH_PORT is its management port");
    }
    assertTrue(checked >= 30, "checked " + checked + " variables");
  }

  /** A file a service reads from /run/secrets/ is one of its secrets, and a secret of the file. */
  @Test
  @SuppressWarnings("unchecked")
  void everySecretAServiceReadsIsMountedInIt() {
    Set<String> declared = ((Map<String, Object>) compose.get("secrets")).keySet();
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      List<?> mounted = (List<?>) service.getValue().getOrDefault("secrets", List.of());
      Matcher files = SECRET.matcher(String.valueOf(service.getValue().get("environment")));
      while (files.find()) {
        assertTrue(mounted.contains(files.group(1)), service.getKey() + " reads " + files.group() + " but does not"
          + " mount secret " + files.group(1) + " (mounted: " + mounted + ")");
        assertTrue(declared.contains(files.group(1)), files.group(1) + " is declared under secrets:");
        checked++;
      }
    }
    assertTrue(checked >= 10, "checked " + checked + " secret files");
    assertTrue(((List<?>) services.get("prometheus").get("secrets")).contains("management_token"),
      "Prometheus scrapes with the management token");
  }

  @Test
  void thePrometheusConfigOfComposeIsValid() {
    Processes.Result check = runQuietly(List.of("promtool", "check", "config", "--syntax-only",
      root.resolve("conf/prometheus-compose.yml").toString()));
    Requirements.need(check != null, "promtool is not installed (Debian package prometheus): skipped");
    assertEquals(0, check.exitCode(), check.output());
  }

  @Test
  void dockerComposeAcceptsTheFile() {
    Processes.Result version = runQuietly(List.of("docker", "compose", "version"));
    assumeTrue(version != null && version.exitCode() == 0,
      "the Docker Compose plugin is not installed here (docker compose version failed): skipped");
    Processes.Result config = Processes.run(List.of("docker", "compose", "-f",
      root.resolve("docker/compose.yaml").toString(), "config", "--quiet"), null, 60);
    assertEquals(0, config.exitCode(), config.output());
  }

  private static Processes.Result runQuietly(List<String> command) {
    try {
      return Processes.run(command, null, 30);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Map<?, ?> buildArgs(Map<String, Object> service) {
    Object build = service.get("build");
    return build instanceof Map ? (Map<?, ?>) ((Map<?, ?>) build).get("args") : null;
  }

  private static Map<String, String> environment(String service) {
    Map<String, String> env = new TreeMap<>();
    Object raw = services.get(service).get("environment");
    if (raw instanceof Map) {
      ((Map<?, ?>) raw).forEach((key, value) -> env.put(String.valueOf(key), String.valueOf(value)));
    }
    return env;
  }

  /** Every key path of a JSON tree ({@code a.b}, arrays as {@code a[0].b}). */
  /** The paths of every array in the tree. */
  private static Set<String> arrays(Object node, String at) {
    Set<String> arrays = new TreeSet<>();
    if (node instanceof JsonObject) {
      for (String key : ((JsonObject) node).fieldNames()) {
        String path = at.isEmpty() ? key : at + "." + key;
        if (((JsonObject) node).getValue(key) instanceof JsonArray) {
          arrays.add(path);
        }
        arrays.addAll(arrays(((JsonObject) node).getValue(key), path));
      }
    }
    return arrays;
  }

  private static Set<String> paths(Object node, String at) {
    Set<String> paths = new TreeSet<>();
    if (node instanceof JsonObject) {
      for (String key : ((JsonObject) node).fieldNames()) {
        String path = at.isEmpty() ? key : at + "." + key;
        paths.add(path);
        paths.addAll(paths(((JsonObject) node).getValue(key), path));
      }
    } else if (node instanceof JsonArray) {
      JsonArray array = (JsonArray) node;
      for (int i = 0; i < array.size(); i++) {
        paths.addAll(paths(array.getValue(i), at + "[" + i + "]"));
      }
    }
    return paths;
  }
}
