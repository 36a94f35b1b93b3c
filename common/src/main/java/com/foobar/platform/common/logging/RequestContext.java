package com.foobar.platform.common.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The request id of the request being handled, kept on its Vert.x context so that every log line the request
 * causes — in callbacks of database queries and backend exchanges too — can name it ({@link RequestIdFilter}).
 *
 * <p>Vert.x runs each HTTP request on a duplicated context of its own and continues a request's asynchronous
 * work on it, which is what makes a context-local value per request. Vert.x sizes each context's local storage
 * when a Vert.x instance is created, so the slot is registered by {@code PlatformVertxProvider}, which Vert.x
 * loads before that.
 */
public final class RequestContext {

  private static final ContextLocal<String> REQUEST_ID = ContextLocal.registerLocal(String.class);

  private RequestContext() {
  }

  /** Makes sure the slot exists before the first Vert.x instance (called by the service provider). */
  public static void register() {
    // Loading the class registered the slot.
  }

  /** Sets the id for the request running on the current context (a request handler's duplicated context). */
  public static void set(String requestId) {
    Context context = Vertx.currentContext();
    if (context != null) {
      REQUEST_ID.put(context, requestId);
    }
  }

  /** The id of the request on the current context, or null outside a request. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : REQUEST_ID.get(context);
  }
}
