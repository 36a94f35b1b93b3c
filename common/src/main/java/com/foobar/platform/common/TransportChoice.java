package com.foobar.platform.common;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport a tier's Vert.x runs on: {@code FOOBAR_TRANSPORT} (or {@code -Dfoobar.transport}) is
 * {@code auto} (the default: the tier's own measured choice from {@link TierSettings}, else io_uring where the
 * kernel allows it, else epoll, else NIO), {@code io_uring}, {@code epoll} or {@code nio}. A transport that
 * cannot load here falls back along the same order (with a warning when the operator named it). An operator
 * who set Vert.x's own {@code preferNativeTransport} (in {@code -options} or as
 * {@code -Dvertx.options.preferNativeTransport}) keeps Vert.x's choice.
 *
 * <p>Why io_uring first: it submits many socket operations per system call. On the balancer, which does little
 * but move bytes between sockets, it gave about a quarter more requests per second than epoll
 * ({@code bench/lb-vs-haproxy.sh}, docs/BENCHMARKS.md). Container runtimes often forbid it (Docker's default
 * seccomp profile does); it then reports unavailable and epoll is used.
 */
final class TransportChoice {

  private static final Logger LOG = LoggerFactory.getLogger(TransportChoice.class);

  private TransportChoice() {
  }

  /** Sets the chosen transport on the bootstrap; Vert.x read its options before providers run. */
  static void apply(VertxBootstrap bootstrap, String setting, String tierDefault) {
    if (System.getProperty("vertx.options.preferNativeTransport") != null
      || bootstrap.options().getPreferNativeTransport()) {
      return;
    }
    String asked = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    boolean byOperator = !asked.equals("auto");
    String wanted = !byOperator && tierDefault != null ? tierDefault.trim().toLowerCase(Locale.ROOT) : asked;
    List<Transport> order = order(wanted);
    for (Transport transport : order) {
      if (transport != null && transport.available()) {
        if (byOperator && !wanted.equals(transport.name())) {
          LOG.warn("transport {} is not available here, using {}", wanted, transport.name());
        }
        if (transport != Transport.NIO) {
          bootstrap.options().setPreferNativeTransport(true);
        }
        bootstrap.transport(transport.implementation());
        if (transport == Transport.NIO && !wanted.equals("nio")) {
          // Visible, since it costs throughput: a musl libc (Alpine) or a locked-down seccomp profile, say.
          LOG.info("native transports unavailable here ({}), running on NIO", unavailability());
        } else {
          LOG.debug("transport {}", transport.name());
        }
        return;
      }
    }
  }

  private static String unavailability() {
    Transport epoll = Transport.EPOLL;
    return epoll == null ? "no native transport for this platform" : String.valueOf(epoll.unavailabilityCause());
  }

  private static List<Transport> order(String wanted) {
    List<Transport> order = new ArrayList<>();
    switch (wanted) {
      case "nio":
        order.add(Transport.NIO);
        return order;
      case "epoll":
        order.add(Transport.EPOLL);
        break;
      case "io_uring":
      case "auto":
        order.add(Transport.IO_URING);
        order.add(Transport.EPOLL);
        break;
      default:
        throw new IllegalArgumentException("FOOBAR_TRANSPORT must be auto, io_uring, epoll or nio, not " + wanted);
    }
    order.add(Transport.KQUEUE);
    order.add(Transport.NIO);
    return order;
  }
}
