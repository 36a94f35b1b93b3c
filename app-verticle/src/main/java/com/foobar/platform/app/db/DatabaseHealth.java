package com.foobar.platform.app.db;

import com.foobar.platform.common.ManagementEndpoints;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/**
 * The database's part of the management port: one {@code /health} check per configured node, the read and write
 * paths in {@code /health/ready}, and {@code GET /database} (every node's last check and the writer).
 */
public final class DatabaseHealth {

  private DatabaseHealth() {
  }

  public static void register(ManagementEndpoints management, Database database) {
    database.nodes().all().forEach(node -> management.health().register("database/" + node.name(), promise ->
      node.ping()
        .map(ok -> Status.OK(new JsonObject().put("address", node.address())))
        .otherwise(failure -> Status.KO(new JsonObject().put("address", node.address())
          .put("error", String.valueOf(failure.getMessage()))))
        .onComplete(promise)));
    management.router().get("/database").handler(ctx -> ctx.json(database.describe()));
    management.readiness().register("write-path", promise -> up(database.nodes().writer().ping()).onComplete(promise));
    management.readiness().register("read-path", promise -> up(readPath(database)).onComplete(promise));
  }

  /** Reads can be served while any replica or the writer answers. */
  private static Future<Void> readPath(Database database) {
    Future<Void> any = database.nodes().writer().ping();
    for (DatabaseNode replica : database.replicas()) {
      Future<Void> previous = any;
      any = replica.ping().recover(failure -> previous);
    }
    return any;
  }

  private static Future<Status> up(Future<Void> ping) {
    return ping.map(ok -> Status.OK()).otherwise(failure -> Status.KO());
  }
}
