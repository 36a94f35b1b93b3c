package com.foobar.platform.app.web;

import com.foobar.platform.app.AppErrors;
import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** A real HTTP server on an ephemeral port with only the static handler mounted, and a raw client for it. */
final class StaticServer {

  /** One answer, its body read in the same chain (a body left unread while the test thread waits is lost). */
  record Answer(int status, MultiMap headers, Buffer body) {

    String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpServer server;
  private final HttpClient client;
  /**
   * Every request runs on this one context. Started from the test thread, each request would get a context of
   * its own, so its response callback ran as a separate task while the connection's event loop went on reading:
   * a small body and its end could then arrive before {@code body()} was asked for, and Vert.x never completes
   * a body asked for after the end (the rare "no result within 30 s" of this test).
   */
  private final Context clientContext;

  StaticServer(Vertx vertx, Path root, StaticFilesOptions options) {
    // Served from a verticle, as in the app: one event loop owns the handler and its caches.
    AtomicReference<HttpServer> listening = new AtomicReference<>();
    Await.result(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(new StaticFileHandler(vertx, root, options));
        router.route().failureHandler(ErrorResponses.failureHandler(new AppErrors(1)::classify));
        router.errorHandler(404, ctx -> ErrorResponses.send(ctx.response(),
          HttpStatusException.notFound("no such page")));
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onSuccess(listening::set);
      }
    }));
    server = listening.get();
    client = vertx.createHttpClient();
    clientContext = vertx.getOrCreateContext();
  }

  Answer get(String uri, String... headerPairs) {
    return request(HttpMethod.GET, uri, headerPairs);
  }

  Answer request(HttpMethod method, String uri, String... headerPairs) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
      .setPort(server.actualPort()).setURI(uri);
    for (int i = 0; i < headerPairs.length; i += 2) {
      options.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    Promise<Answer> answer = Promise.promise();
    clientContext.runOnContext(v -> client.request(options)
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> new Answer(response.statusCode(), response.headers(), body)))
      .onComplete(answer));
    return Await.result(answer.future());
  }
}
