package com.foobar.platform.lb;

import com.foobar.platform.common.launch.TierVerticle;
import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.lb.edge.ClientGuard;
import com.foobar.platform.lb.edge.ConnectionDrain;
import com.foobar.platform.lb.edge.EdgeRules;
import com.foobar.platform.lb.edge.FlushBatching;
import com.foobar.platform.lb.edge.HttpVersionCheck;
import com.foobar.platform.lb.edge.TlsOptions;
import com.foobar.platform.lb.edge.TlsSetup;
import com.foobar.platform.lb.forward.ProxyHandler;
import com.foobar.platform.lb.forward.Replies;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load balancer of www.foobar.com: the one public entry point, spreading requests over the application
 * servers that pass their health checks (active-active). Its management port serves {@code /metrics},
 * {@code /health*} and the admin API ({@code admin.AdminApi}).
 *
 * <p>With {@code -instances N} every instance runs its own public server (Vert.x spreads connections over
 * them) and its own backend client, so a request and its backend connection share one event loop; the backends'
 * state, checks, slots, metrics and the management server are one {@link Balancer} shared by the deployment.
 *
 * <p>Stopping is a hand-over ({@link ConnectionDrain}): the listeners (opened with {@code SO_REUSEPORT}, so a new
 * balancer process can already listen beside this one) stop accepting, in-flight requests finish, each keep-alive
 * connection's next response says {@code Connection: close}, idle ones are closed once past the advertised
 * keep-alive timeout, and what remains after {@code shutdownTimeoutMs} is closed.
 */
public class LoadBalancerVerticle extends TierVerticle<LoadBalancerOptions> {

  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerVerticle.class);
  public static final String ENV_PREFIX = "FOOBAR_LB_";

  private Balancer balancer;
  private Balancer.Shared shared;
  private HttpClient client;
  private HttpServer server;
  private HttpServer tlsServer;
  private long certificateWatch = -1;
  private HttpServer managementServer;
  private ConnectionDrain drain;

  public LoadBalancerVerticle() {
    super(LoadBalancerOptions.SCHEMA, ENV_PREFIX, LoadBalancerOptions::new);
  }

  @Override
  protected Future<?> startWith(LoadBalancerOptions options) {
    List<String> problems = options.problems(vertx.isClustered());
    if (!problems.isEmpty()) {
      return Future.failedFuture(new ConfigException(LoadBalancerOptions.SCHEMA.what(), problems));
    }
    balancer = Balancer.join(vertx, context.deploymentID(), options, config());
    shared = balancer.shared();
    // The deployment's first instance may have reloaded meanwhile: go on with the configuration now.
    LoadBalancerOptions now = shared.options().get();
    client = backendClient(now);
    Replies replies = new Replies(shared.metrics());
    ClientGuard guard = new ClientGuard(vertx, now.requestHeaderTimeoutMs(), shared.metrics(), shared.firewalls(),
      connection -> replies.requestTimeout(connection, now.requestHeaderTimeoutMs()));
    drain = new ConnectionDrain(vertx, guard, now.keepAliveTimeoutSeconds());
    EdgeRules edge = new EdgeRules(shared.firewalls(), now.tls(), this::tlsPort);
    ProxyHandler proxy = new ProxyHandler(vertx, client, shared.options(), shared.choice(), shared.passive(),
      shared.metrics(), guard, edge, drain);
    Handler<HttpConnection> accepted = guard.connectionHandler();
    Listener listener = serverOptions -> vertx.createHttpServer(serverOptions)
      .connectionHandler(connection -> {
        accepted.handle(connection);
        ConnectionDrain.install(connection);
        HttpVersionCheck.install(connection, replies::versionRefused);
      })
      .invalidRequestHandler(replies.invalidRequestHandler())
      .requestHandler(proxy)
      .listen();
    HttpServerOptions serverOptions = publicServer(now);
    // The management server belongs to the deployment's first instance: go on from this instance's context.
    return OnContext.of(context, shared.managementServer())
      .onSuccess(management -> managementServer = management)
      // HTTPS first: a plain-HTTP listener that redirects must never answer before there is an HTTPS to go to.
      .compose(management -> now.tls().enabled() ? listenTls(listener, serverOptions) : Future.succeededFuture())
      .compose(https -> listener.listen(serverOptions))
      .onSuccess(listening -> server = listening)
      .onSuccess(v -> LOG.info("balancer on {}:{}{} (management {}:{}, {}) over {}", now.host(),
        server.actualPort(), tlsServer == null ? "" : " and https " + tlsServer.actualPort(),
        now.management().getHost(), managementServer.actualPort(), now.balance(),
        now.toJson().getJsonArray("backends")));
  }

  /** Opens one public listener (plain or TLS) with this instance's handlers. */
  private interface Listener {
    Future<HttpServer> listen(HttpServerOptions options);
  }

  /**
   * Created in this verticle instance so backend connections stay on the request's event loop. The pool is as
   * large as a backend's slots: BackendSlots bounds and queues requests, the pool never has to.
   */
  private HttpClient backendClient(LoadBalancerOptions options) {
    return vertx.httpClientBuilder()
      .with(TlsSetup.backendClient(new HttpClientOptions().setKeepAlive(true)
        .setConnectTimeout(options.connectTimeoutMs()).setName("lb-backends"), options.tls()))
      .with(new PoolOptions().setHttp1MaxSize(options.maxConnectionsPerBackend()))
      .withConnectHandler(FlushBatching::install)
      .build();
  }

  private static HttpServerOptions publicServer(LoadBalancerOptions options) {
    return new HttpServerOptions().setHost(options.host()).setPort(options.port())
      .setMaxHeaderSize(options.maxHeaderSize()).setMaxInitialLineLength(options.maxUriLength())
      .setIdleTimeout(options.clientIdleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      // No cleartext HTTP/2 detection: it buffers the whole first request head before a connection exists,
      // which would hide a slow head from the request-head timer (and HAProxy frontends do not do h2c either).
      .setHttp2ClearTextEnabled(false)
      // Every write to a client connection happens on its own event loop (the backend client is this instance's,
      // a queued request gets its slot on its own context, BackendSlots), so Vert.x may skip the thread-safe
      // outbound queue it otherwise gives each HTTP/1.x connection: a 1,024-slot array (about 4.7 KiB a
      // connection, over half of an idle keep-alive connection's heap). Vert.x then refuses a write from another
      // thread (IllegalStateException) rather than queueing it.
      .setStrictThreadMode(true)
      // A new process binds beside this one during a restart; the kernel balances between the two until this one
      // closes its listener (net.ipv4.tcp_migrate_req then moves its not yet accepted connections over).
      .setReusePort(options.reusePort());
  }

  private Future<HttpServer> listenTls(Listener listener, HttpServerOptions serverOptions) {
    TlsSetup tls = new TlsSetup(shared.options().get().tls());
    return TlsSetup.prepare(vertx, shared.options().get().tls())
      .compose(ready -> listener.listen(tls.serverOptions(serverOptions))).onSuccess(https -> {
      tlsServer = https;
      tls.logEngine(https.actualPort());
      certificateWatch = tls.watch(vertx, https);
      Context own = context;
      shared.reload().onTlsChange(next -> own.runOnContext(v -> certificatesChanged(next.tls())));
    });
  }

  /** A reload named other certificate files: install them now and watch those from here on. */
  private void certificatesChanged(TlsOptions next) {
    if (certificateWatch >= 0) {
      vertx.cancelTimer(certificateWatch);
    }
    TlsSetup tls = new TlsSetup(next);
    tls.install(tlsServer);
    certificateWatch = tls.watch(vertx, tlsServer);
  }

  /** The public port (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The HTTPS port, or -1 when TLS is off (no certificate configured). */
  public int tlsPort() {
    return tlsServer == null ? -1 : tlsServer.actualPort();
  }

  public int managementPort() {
    return managementServer.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (certificateWatch >= 0) {
      vertx.cancelTimer(certificateWatch);
    }
    if (balancer == null) {
      return Future.succeededFuture();
    }
    balancer.startDraining();
    drain.start();
    LOG.info("draining: no new connections; in-flight requests finish, keep-alive clients are told to reconnect");
    return Future.join(drain(server), drain(tlsServer))
      .eventually(() -> {
        drain.stop();
        return client == null ? Future.succeededFuture() : client.close();
      })
      .eventually(() -> Balancer.leave(vertx, context.deploymentID()));
  }

  private Future<Void> drain(HttpServer listening) {
    return listening == null ? Future.succeededFuture()
      : listening.shutdown(shared.options().get().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }
}
