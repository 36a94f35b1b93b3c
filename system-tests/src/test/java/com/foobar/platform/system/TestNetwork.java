package com.foobar.platform.system;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;


/**
 * Hosts for deployment tests: network namespaces this test creates, each with {@code eth0} on one bridge that
 * lives in a namespace of its own, so the "machines" reach each other by address and nothing touches the host's
 * network. Processes started here are killed and the namespaces deleted by {@link #close()}.
 *
 * <p>Needs root (CAP_NET_ADMIN) and iproute2; {@link #create} skips the calling test, saying why, without them.
 */
final class TestNetwork implements AutoCloseable {

  private final String prefix;
  private final String bridge;
  private final List<String> hosts = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  private TestNetwork(String prefix) {
    this.prefix = prefix;
    this.bridge = prefix + "-sw";
  }

  /** A new network, or the calling test skipped when namespaces cannot be made here. */
  static TestNetwork create(String tag) {
    Requirements.need(tool("ip", "-V"), "iproute2 (ip) is not installed: this deployment test is skipped");
    TestNetwork network = new TestNetwork(tag + Integer.toHexString(new Random().nextInt(0x10000)));
    Requirements.need(Processes.run(List.of("ip", "netns", "add", network.bridge), null, 10).exitCode() == 0,
      "cannot create network namespaces here (needs root / CAP_NET_ADMIN): this deployment test is skipped");
    network.sh("ip -n " + network.bridge + " link add br0 type bridge", "ip -n " + network.bridge + " link set br0 up",
      "ip -n " + network.bridge + " link set lo up");
    return network;
  }

  /** Adds a host named {@code name} with {@code address}/24 on eth0 and loopback up; returns its namespace. */
  String host(String name, String address) {
    String ns = prefix + "-" + name;
    String port = "p" + hosts.size() + prefix.substring(prefix.length() - 4);
    sh("ip netns add " + ns,
      "ip -n " + bridge + " link add " + port + " type veth peer name eth0 netns " + ns,
      "ip -n " + bridge + " link set " + port + " master br0 up",
      "ip -n " + ns + " link set lo up",
      "ip -n " + ns + " addr add " + address + "/24 dev eth0",
      "ip -n " + ns + " link set eth0 up");
    hosts.add(ns);
    return ns;
  }

  /** Starts {@code command} inside namespace {@code ns} with extra environment, output to {@code log}. */
  Process start(String ns, Path log, Map<String, String> env, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("FOOBAR_"));
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + full, e);
    }
  }

  /** Runs a command inside namespace {@code ns} and waits for it. */
  Processes.Result run(String ns, List<String> command, int timeoutSeconds) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    return Processes.run(full, null, timeoutSeconds);
  }

  /** Runs each command (split on spaces) and fails on the first that does not exit 0. */
  void sh(String... commands) {
    for (String command : commands) {
      Processes.Result result = Processes.run(List.of(command.split(" ")), null, 10);
      if (result.exitCode() != 0) {
        throw new IllegalStateException(command + " failed: " + result.output());
      }
    }
  }

  static boolean tool(String... command) {
    try {
      return Processes.run(List.of(command), null, 10).exitCode() == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Kills every process started here (children first: a wrapper's JVM too), then deletes the namespaces. */
  @Override
  public void close() {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<String> all = new ArrayList<>(hosts);
    all.add(bridge);
    for (String ns : all) {
      Processes.run(List.of("ip", "netns", "del", ns), null, 10);
    }
  }
}
