package com.foobar.platform.lb;

import com.foobar.platform.common.ManagementEndpoints;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.TierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer of www.foobar.com: the one public entry point, spreading requests round robin over the
 * application servers that pass their health checks (active-active). Its management port serves
 * {@code /metrics}, {@code /health} and {@code /admin/backends}.
 */
public class LoadBalancerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerVerticle.class);
  public static final String ENV_PREFIX = "FOOBAR_LB_";

  private LoadBalancerOptions options;
  private BackendPool pool;
  private HealthChecker healthChecker;
  private HttpClient client;
  private HttpServer server;
  private HttpServer managementServer;

  @Override
  public Future<?> start() {
    return TierConfig.load(vertx, new LoadBalancerOptions().toJson(), config(), ENV_PREFIX)
      .map(LoadBalancerOptions::new)
      .compose(this::startWith);
  }

  private Future<?> startWith(LoadBalancerOptions lbOptions) {
    this.options = lbOptions;
    MeterRegistry registry = PlatformMetrics.registry();
    pool = new BackendPool(lbOptions.getBackends(), lbOptions.getRise(), lbOptions.getFall(), registry);
    // Created in this verticle instance so backend connections stay on the request's event loop.
    client = vertx.httpClientBuilder()
      .with(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(lbOptions.getConnectTimeout())
        .setName("lb-backends"))
      .with(new PoolOptions().setHttp1MaxSize(lbOptions.getMaxConnectionsPerBackend())
        .setMaxWaitQueueSize(lbOptions.getMaxQueuePerBackend()))
      .build();
    healthChecker = new HealthChecker(vertx, client, pool, lbOptions);
    healthChecker.start();
    return startManagement()
      .compose(management -> vertx.createHttpServer(new HttpServerOptions().setHost(lbOptions.getHost())
          .setPort(lbOptions.getPort()))
        .requestHandler(new ProxyHandler(client, pool, lbOptions, registry))
        .listen())
      .onSuccess(listening -> {
        server = listening;
        LOG.info("balancer on {}:{} (management {}:{}) over {}", options.getHost(), server.actualPort(),
          options.getManagement().getHost(), managementServer.actualPort(), lbOptions.toJson().getJsonArray("backends"));
      });
  }

  private Future<HttpServer> startManagement() {
    ManagementEndpoints management = new ManagementEndpoints(vertx);
    for (Backend backend : pool.all()) {
      management.health().register("backend/" + backend.name(), promise -> promise.complete(
        backend.isUp() ? Status.OK(backend.toJson()) : Status.KO(backend.toJson())));
    }
    management.readiness().register("backends", promise -> promise.complete(
      pool.anyUp() ? Status.OK() : Status.KO(new JsonObject().put("reason", "no backend is up"))));
    management.router().get("/admin/backends").handler(ctx -> {
      JsonArray backends = new JsonArray();
      pool.all().forEach(backend -> backends.add(backend.toJson()));
      ctx.json(new JsonObject().put("backends", backends));
    });
    return management.listen(vertx, options.getManagement()).onSuccess(listening -> managementServer = listening);
  }

  /** The public port (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  public int managementPort() {
    return managementServer.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (healthChecker != null) {
      healthChecker.stop();
    }
    return client == null ? Future.succeededFuture() : client.close();
  }
}
