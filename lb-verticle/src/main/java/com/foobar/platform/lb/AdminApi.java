package com.foobar.platform.lb;

import com.foobar.platform.common.Options;
import com.foobar.platform.common.HttpStatusException;
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
 *   <li>{@code DELETE /admin/backends/{host:port}}: remove it (in-flight requests finish).</li>
 * </ul>
 * Bad input is a 400 with a JSON body naming the field; an unknown backend a 404.
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
  }

  private void list(RoutingContext ctx) {
    JsonArray backends = new JsonArray();
    balancer.pool.all().forEach(backend -> backends.add(backend.toJson()));
    ctx.json(new JsonObject().put("balance", balancer.options.getBalance()).put("backends", backends));
  }

  private void add(RoutingContext ctx) {
    BackendSpec spec;
    try {
      spec = BackendSpec.parse(body(ctx));
    } catch (IllegalArgumentException e) {
      throw HttpStatusException.badRequest("address", e.getMessage());
    }
    if (!balancer.add(spec)) {
      throw new HttpStatusException(409, "conflict", "backend " + spec.name() + " exists", "address", 0, null);
    }
    ctx.response().setStatusCode(201);
    ctx.json(balancer.pool.find(spec.name()).map(Backend::toJson).orElseThrow());
  }

  private void change(RoutingContext ctx) {
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
    ctx.json(backend.toJson());
  }

  private void remove(RoutingContext ctx) {
    Backend backend = backend(ctx);
    balancer.remove(backend);
    ctx.json(new JsonObject().put("removed", backend.name()));
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
