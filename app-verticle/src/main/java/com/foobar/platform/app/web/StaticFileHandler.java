package com.foobar.platform.app.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;

/**
 * Serves a document root the way nginx does for a site: {@code index.html} for a directory (and a 301 adding
 * the slash when it is missing), hidden files and anything outside the root refused, then {@link FileResponder}
 * for validators, ranges, compression and caching headers. Files it cannot serve go to the next handler (the
 * router's 404). Create one per verticle instance: its caches belong to that event loop.
 */
final class StaticFileHandler implements Handler<RoutingContext> {

  static final String INDEX = "index.html";

  private final String root;
  private final FileCache cache;
  private final FileResponder responder;

  /** @param root an absolute, normalised directory */
  StaticFileHandler(Vertx vertx, Path root, StaticFilesOptions options) {
    this.root = root.toString();
    this.cache = new FileCache(vertx, options);
    this.responder = new FileResponder(cache, options);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    String relative;
    try {
      relative = RequestPaths.relative(request.path());
    } catch (BadPath e) {
      ctx.fail(e);
      return;
    }
    if (relative == null) {
      ctx.next();
      return;
    }
    // The decoded path holds no dot segment, so appending it cannot leave the root.
    String file = relative.isEmpty() ? root : root + '/' + relative;
    cache.info(file).onSuccess(info -> serve(ctx, info));
  }

  private void serve(RoutingContext ctx, FileInfo info) {
    String path = ctx.request().path();
    boolean slash = path.endsWith("/");
    if (!info.exists() || (slash && !info.directory())) {
      ctx.next();
    } else if (!info.directory()) {
      responder.respond(ctx, info);
    } else if (!slash) {
      redirectToDirectory(ctx, path);
    } else {
      cache.info(info.path() + '/' + INDEX)
        .onSuccess(index -> {
          if (index.regularFile()) {
            responder.respond(ctx, index);
          } else {
            ctx.next();
          }
        });
    }
  }

  private static void redirectToDirectory(RoutingContext ctx, String path) {
    String query = ctx.request().query();
    ctx.response().setStatusCode(301)
      .putHeader(HttpHeaders.LOCATION, path + "/" + (query == null ? "" : "?" + query))
      .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
      .end();
  }
}
