package com.foobar.platform.common.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The election as a command, for {@code scripts/mariadb-pair} and operators:
 * <pre>
 *   java -cp &lt;classpath&gt; com.foobar.platform.common.db.RolesTool COMMAND --node NAME,CONNECT,ADDRESS ... [options]
 *     settle   decide and act: quarantine errant nodes, point the others at the writer, promote it when it was
 *              not writing, wait until every follower holds the writer's position
 *     elect    decide only, change nothing
 *     status   every node's status and the election, as JSON
 *     schema   the SQL creating foobar_ha.writer_epoch
 *   --node NAME,CONNECT,ADDRESS   CONNECT: a unix socket path or host:port; ADDRESS: host:port replicas use
 *   --user U --password-file F    the account (default root, no password: over a node's socket)
 *   --replication-user U --replication-password-file F   the account followers fetch with (foobar_repl)
 *   --writer NAME                 an operator's choice of writer (the others are judged against it)
 *   --wait-seconds N              how long followers may take to catch up (default 30)
 * </pre>
 * Prints one line per node ({@code writer|follower|errant NAME ADDRESS DETAIL}) or {@code none - - REASON}.
 * Exit codes: 0 settled, 1 failure, 2 usage, 3 settled with errant nodes, 4 no safe writer.
 */
public final class RolesTool {

  static final int SETTLED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int ERRANT = 3;
  static final int NO_WRITER = 4;

  private final Map<String, String> connects = new LinkedHashMap<>();
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private String user = "root";
  private String password = "";
  private String replicationUser = "foobar_repl";
  private String replicationPassword = "";
  private String forcedWriter;
  private long waitSeconds = 30;

  public static void main(String[] args) {
    PrintStream out = System.out;
    int code;
    try {
      code = run(args, out);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("roles: " + e.getMessage());
      code = USAGE;
    }
    out.flush();
    System.exit(code);
  }

  static int run(String[] args, PrintStream out) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("missing command: settle, elect, status or schema");
    }
    if (args[0].equals("schema")) {
      out.println(WriterEpochs.CREATE);
      return SETTLED;
    }
    RolesTool tool = new RolesTool();
    tool.parse(args);
    if (tool.connects.isEmpty()) {
      throw new IllegalArgumentException("no --node given");
    }
    if (System.getProperty("foobar.transport") == null && System.getenv("FOOBAR_TRANSPORT") == null) {
      // Unix sockets: Vert.x's io_uring transport cannot connect to them, epoll can.
      System.setProperty("foobar.transport", "epoll");
    }
    if (System.getProperty("foobar.metrics") == null) {
      System.setProperty("foobar.metrics", "off");
    }
    Vertx vertx = Vertx.vertx();
    try {
      return tool.execute(vertx, args[0], out);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
        .join();
    }
  }

  private void parse(String[] args) throws IOException {
    for (int i = 1; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i++]) {
        case "--node" -> node(value);
        case "--user" -> user = value;
        case "--password-file" -> password = Files.readString(Path.of(value)).strip();
        case "--replication-user" -> replicationUser = value;
        case "--replication-password-file" -> replicationPassword = Files.readString(Path.of(value)).strip();
        case "--writer" -> forcedWriter = value;
        case "--wait-seconds" -> waitSeconds = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
      }
    }
  }

  private void node(String spec) {
    String[] parts = spec.split(",");
    if (parts.length != 3 || !parts[2].contains(":")) {
      throw new IllegalArgumentException("--node wants NAME,CONNECT,HOST:PORT, got " + spec);
    }
    connects.put(parts[0], parts[1]);
    addresses.put(parts[0], parts[2]);
  }

  private int execute(Vertx vertx, String command, PrintStream out) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    connects.forEach((name, connect) -> pools.put(name, pool(vertx, name, connect)));
    RoleSettlement settlement = new RoleSettlement(vertx, pools,
      new ReplicationSource.Account(replicationUser, replicationPassword), TimeUnit.SECONDS.toMillis(waitSeconds));
    List<Member> members = await(settlement.check(addresses));
    ElectionResult election = Election.decide(members, null, forcedWriter);
    switch (command) {
      case "status" -> {
        JsonArray nodes = new JsonArray();
        members.forEach(m -> nodes.add(m.status().toJson().put("name", m.name()).put("address", m.address())));
        out.println(new JsonObject().put("nodes", nodes).put("election", election.toJson()).encodePrettily());
        return SETTLED;
      }
      case "elect" -> {
        return report(election, decided(election), out);
      }
      case "settle" -> {
        if (!election.hasWriter()) {
          return report(election, List.of(), out);
        }
        try {
          return report(election, await(settlement.apply(election)), out);
        } catch (RuntimeException e) {
          out.println("failed - - " + e.getMessage());
          return FAILED;
        }
      }
      default -> throw new IllegalArgumentException("unknown command " + command);
    }
  }

  /** What an election decided, before anything was done. */
  private static List<RoleSettlement.Outcome> decided(ElectionResult election) {
    List<RoleSettlement.Outcome> outcomes = new ArrayList<>();
    if (election.hasWriter()) {
      outcomes.add(new RoleSettlement.Outcome("writer", election.writer(), (election.promote()
        ? "to be promoted to epoch " : "writer of epoch ") + election.epoch() + ": " + election.reason()));
    }
    election.followers().forEach(f -> outcomes.add(new RoleSettlement.Outcome("follower", f, "follows")));
    election.errant().forEach((name, ranges) -> outcomes.add(new RoleSettlement.Outcome("errant",
      new Member(name, "-", NodeStatus.unreachable("")), "holds " + ElectionResult.describe(ranges))));
    return outcomes;
  }

  private int report(ElectionResult election, List<RoleSettlement.Outcome> outcomes, PrintStream out) {
    if (!election.hasWriter()) {
      out.println("none - - " + election.reason());
      return NO_WRITER;
    }
    for (RoleSettlement.Outcome outcome : outcomes) {
      String name = outcome.member().name();
      out.println(outcome.role() + " " + name + " " + addresses.getOrDefault(name, "-") + " " + outcome.detail());
    }
    election.unknown().forEach(name -> out.println("unknown " + name + " " + addresses.get(name) + " cannot be checked"));
    return election.errant().isEmpty() ? SETTLED : ERRANT;
  }

  private Pool pool(Vertx vertx, String name, String connect) {
    MySQLConnectOptions options = new MySQLConnectOptions().setUser(user).setPassword(password);
    if (connect.startsWith("/")) {
      options.setHost(connect);
    } else {
      int colon = connect.lastIndexOf(':');
      options.setHost(connect.substring(0, colon)).setPort(Integer.parseInt(connect.substring(colon + 1)));
    }
    return MySQLBuilder.pool()
      .with(new PoolOptions().setMaxSize(2).setName("roles-" + name).setConnectionTimeout(5)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS))
      .with(new NetClientOptions().setConnectTimeout(5000))
      .connectingTo(options)
      .using(vertx)
      .build();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10 * 60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
