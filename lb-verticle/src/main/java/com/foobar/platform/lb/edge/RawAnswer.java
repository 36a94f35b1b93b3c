package com.foobar.platform.lb.edge;

import com.foobar.platform.common.HttpStatusException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * An error answered below Vert.x's request API, on the Netty channel: for requests Vert.x never hands to a request
 * handler (a head that never completed, an HTTP version it does not speak). Always an HTTP/1.1 status line, the
 * error's JSON body and {@code Connection: close}, since the connection closes after it.
 */
public final class RawAnswer {

  private RawAnswer() {
  }

  public static FullHttpResponse of(HttpStatusException error) {
    byte[] body = error.toJson().encode().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
      HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
      .set(HttpHeaderNames.CONTENT_LENGTH, body.length).set(HttpHeaderNames.CONNECTION, "close");
    return response;
  }
}
