package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.ManagementToken;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * What the monitor probes and how: the balancer's and the servers' health URLs, the database nodes (with their
 * passwords), the round's interval and each probe's bound, the replication lag beyond which replication counts
 * as down, and the synthetic end-to-end probe.
 */
public record ProbePlan(HttpTarget balancer, List<HttpTarget> servers, MySQLConnectOptions primary,
                        List<MySQLConnectOptions> replicas, int intervalMs, int timeoutMs,
                        int maxReplicationLagSeconds, SyntheticOptions synthetic) {

  public ProbePlan {
    servers = List.copyOf(servers);
    replicas = List.copyOf(replicas);
  }

  /** Every component in display order: balancer, servers, primary, each replica and its replication, synthetic. */
  public List<Component> components() {
    List<Component> components = new ArrayList<>();
    components.add(Component.balancer(balancer.name()));
    servers.forEach(server -> components.add(Component.server(server.name())));
    components.add(Component.primary());
    for (int n = 1; n <= replicas.size(); n++) {
      components.add(Component.replica(n));
      components.add(Component.replicationOf(Component.replica(n)));
    }
    if (synthetic.enabled()) {
      components.add(Component.synthetic());
    }
    return components;
  }

  /** One probe per target, in the order of {@link #components()}. */
  List<Probe> probes(Vertx vertx, WebClient client, ProbeMetrics metrics) {
    List<Probe> probes = new ArrayList<>();
    probes.add(new HttpProbe(Component.balancer(balancer.name()), balancer, client, timeoutMs));
    servers.forEach(server -> probes.add(new HttpProbe(Component.server(server.name()), server, client, timeoutMs)));
    List<MySQLConnectOptions> nodes = new ArrayList<>();
    nodes.add(primary);
    nodes.addAll(replicas);
    probes.add(new DatabaseProbe(vertx, nodes, timeoutMs, maxReplicationLagSeconds));
    if (synthetic.enabled()) {
      probes.add(new SyntheticProbe(vertx, synthetic, timeoutMs, metrics, ManagementToken.configured()));
    }
    return probes;
  }
}
