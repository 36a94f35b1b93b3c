package com.foobar.platform.lb;

import com.foobar.platform.common.Options;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.common.ManagementToken;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Locale;
import java.util.Set;

/**
 * The admin API on the management port (loopback by default, never the public port), HAProxy's runtime API
 * in JSON:
 * <ul>
 *   <li>{@code GET /admin/backends}: every backend with state, check result and counters;</li>
 *   <li>{@code GET /admin/backends/{host:port}}: one;</li>
 *   <li>{@code POST /admin/backends} {@code {"address":"h:p","weight":1}}: add one (201; 409 if it exists);</li>
 *   <li>{@code PUT /admin/backends/{host:port}} {@code {"state":"drain"|"maint"|"ready","weight":n}}: change it;</li>
 *   <li>{@code DELETE /admin/backends/{host:port}}: remove it (in-flight requests finish);</li>
 *   <li>{@code POST /admin/reload}: re-read the configuration and apply it ({@link ConfigReload}); 200 with what
 *   changed, or 400 naming what is wrong (the old configuration keeps serving).</li>
 * </ul>
 * Bad input is a 400 with a JSON body naming the field; an unknown backend a 404. Every change is audited and kept
 * in the server-state file ({@link AdminChanges}) before it is answered. While this process hands over to a new
 * one (a restart), changes are refused with a 503, since the new process already read the state file.
 */
final class AdminApi {

  private static final Set<String> PUT_KEYS = Set.of("state", "weight");

  private final Balancer balancer;

  AdminApi(Balancer balancer) {
    this.balancer = balancer;
  }

  void mount(Router router) {
    router.route("/admin/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.get("/admin/backends").handler(this::list);
    router.post("/admin/backends").handler(this::add);
    router.get("/admin/backends/:name").handler(ctx -> ctx.json(backend(ctx).toJson()));
    router.put("/admin/backends/:name").handler(this::change);
    router.delete("/admin/backends/:name").handler(this::remove);
    router.post("/admin/reload").handler(this::reload);
  }

  /** Who made a change, for the audit log: the token's id and the caller's address. */
  static String who(RoutingContext ctx) {
    String from = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
    return "token=" + ManagementToken.idOfHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)) + " from=" + from;
  }

  private void refuseWhileDraining() {
    if (balancer.draining()) {
      throw HttpStatusException.unavailable("draining", "this balancer is handing over to a new process; "
        + "retry to reach it", 1, null);
    }
  }

  private void reload(RoutingContext ctx) {
    refuseWhileDraining();
    balancer.reload.run(who(ctx)).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      JsonObject result = done.result();
      ctx.response().setStatusCode(result.getBoolean("ok") ? 200 : 400);
      ctx.json(result);
    });
  }

  private void list(RoutingContext ctx) {
    JsonArray backends = new JsonArray();
    balancer.pool.all().forEach(backend -> backends.add(backend.toJson()));
    ctx.json(new JsonObject().put("balance", balancer.options.getBalance()).put("backends", backends));
  }

  private void add(RoutingContext ctx) {
    refuseWhileDraining();
    BackendSpec spec;
    try {
      spec = BackendSpec.parse(body(ctx));
    } catch (IllegalArgumentException e) {
      throw HttpStatusException.badRequest("address", e.getMessage());
    }
    if (!balancer.add(spec)) {
      throw new HttpStatusException(409, "conflict", "backend " + spec.name() + " exists", "address", 0, null);
    }
    balancer.changes.added(who(ctx), spec).onComplete(saved -> answer(ctx, saved, () -> {
      ctx.response().setStatusCode(201);
      ctx.json(balancer.pool.find(spec.name()).map(Backend::toJson).orElseThrow());
    }));
  }

  private void change(RoutingContext ctx) {
    refuseWhileDraining();
    Backend backend = backend(ctx);
    JsonObject body = body(ctx);
    Backend.Admin state = null;
    Integer weight = null;
    try {
      Options.requireKnownKeys(body, PUT_KEYS, "backend change");
      if (body.containsKey("state")) {
        state = Backend.Admin.valueOf(String.valueOf(body.getValue("state")).toUpperCase(Locale.ROOT));
      }
      if (body.containsKey("weight")) {
        Object value = body.getValue("weight");
        if (!(value instanceof Integer)) {
          throw new IllegalArgumentException("weight must be an integer");
        }
        weight = Options.requireRange("weight", (Integer) value, 1, BackendSpec.MAX_WEIGHT);
      }
    } catch (IllegalArgumentException e) {
      String field = body.containsKey("state") && state == null ? "state" : "weight";
      throw HttpStatusException.badRequest(field, e.getMessage().startsWith("No enum")
        ? "state must be one of ready, drain, maint" : e.getMessage());
    }
    if (state == null && weight == null) {
      throw HttpStatusException.badRequest("state", "send {\"state\": \"ready\"|\"drain\"|\"maint\"} and/or {\"weight\": n}");
    }
    if (state != null) {
      backend.setAdmin(state);
    }
    if (weight != null) {
      backend.setWeight(weight);
    }
    balancer.changes.changed(who(ctx), backend, state, weight)
      .onComplete(saved -> answer(ctx, saved, () -> ctx.json(backend.toJson())));
  }

  /** Answers once the change is on disk; a change that could not be kept is applied but said so (500). */
  private static void answer(RoutingContext ctx, io.vertx.core.AsyncResult<Void> saved, Runnable ok) {
    if (saved.succeeded()) {
      ok.run();
    } else {
      ctx.fail(new HttpStatusException(500, "state_not_saved", "the change is applied but could not be saved in "
        + "the server state file, so a restart would lose it: " + saved.cause().getMessage()));
    }
  }

  private void remove(RoutingContext ctx) {
    refuseWhileDraining();
    Backend backend = backend(ctx);
    balancer.remove(backend);
    balancer.changes.removed(who(ctx), backend)
      .onComplete(saved -> answer(ctx, saved, () -> ctx.json(new JsonObject().put("removed", backend.name()))));
  }

  private Backend backend(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    return balancer.pool.find(name).orElseThrow(() -> HttpStatusException.notFound("no backend " + name));
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().isEmpty()) {
      throw HttpStatusException.badRequest("body", "send a JSON object");
    }
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new HttpStatusException(400, "invalid_json", "request body is not a JSON object");
    }
  }
}
