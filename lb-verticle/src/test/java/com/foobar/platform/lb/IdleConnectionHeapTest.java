package com.foobar.platform.lb;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an idle keep-alive client connection holds on the heap (issue 18: at most 8 KiB of the balancer's memory
 * per idle keep-alive connection; the resident set in {@code bench/burst-vs-haproxy.sh} is that and the heap's
 * headroom over it). Raw sockets, each answered one request and then left open, and the live heap after a full GC
 * before and with them. Both ends are in this JVM: the client's blocking socket channels (about half a KiB each)
 * count too. Vert.x's thread-safe outbound queue alone was a 1,024-slot array per connection, about 9.1 KiB in all;
 * in strict thread mode it is not made and the whole is about 4.7 KiB (measured 9,460 and 4,690 bytes).
 */
@ExtendWith(VertxExtension.class)
class IdleConnectionHeapTest extends BalancerTestBase {

  private static final int CONNECTIONS = 500;
  private static final long MAX_BYTES_PER_CONNECTION = 6 * 1024;

  @Test
  void anIdleKeepAliveConnectionHoldsLittleHeap(Vertx vertx) throws Exception {
    this.vertx = vertx;
    Vertx peers = Vertx.vertx();
    TestBackend backend = new TestBackend(peers, "a");
    deploy(new JsonArray().add(backend.address()),
      new JsonObject().put("firewall", new JsonObject().put("rateLimits", new JsonArray()).put("maxConnectionsPerClient", 0)));
    try {
      closeAll(openAnswered(CONNECTIONS)); // warm: classes, pools and caches made once are not per connection
      Thread.sleep(500);
      long before = liveHeap();
      List<SocketChannel> idle = openAnswered(CONNECTIONS);
      Thread.sleep(500);
      long with = liveHeap();
      closeAll(idle);
      long perConnection = (with - before) / CONNECTIONS;
      assertThat(perConnection).as("live heap bytes per idle keep-alive connection, both ends")
        .isLessThan(MAX_BYTES_PER_CONNECTION);
    } finally {
      peers.close();
    }
  }

  /** Opens {@code n} connections to the balancer and reads one 200 on each; they stay open. */
  private List<SocketChannel> openAnswered(int n) throws IOException {
    byte[] request = "GET /slow?ms=1 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    List<SocketChannel> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", balancer.actualPort()));
      channel.write(ByteBuffer.wrap(request));
      String answer = readAnswer(channel);
      assertThat(answer).startsWith("HTTP/1.1 200");
      open.add(channel);
    }
    return open;
  }

  /** The head and a body of the declared length (the backend's "slow"). */
  private static String readAnswer(SocketChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    StringBuilder answer = new StringBuilder();
    while (!complete(answer)) {
      buffer.clear();
      if (channel.read(buffer) < 0) {
        break;
      }
      answer.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
    }
    return answer.toString();
  }

  private static boolean complete(StringBuilder answer) {
    int headEnd = answer.indexOf("\r\n\r\n");
    return headEnd >= 0 && answer.length() >= headEnd + 4 + "slow".length();
  }

  private static void closeAll(List<SocketChannel> channels) throws IOException {
    for (SocketChannel channel : channels) {
      channel.close();
    }
  }

  private static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
