#!/bin/sh
# Starts the tier's jar with Vert.x's launcher: java $JAVA_OPTS -jar tier.jar -conf $CONF_FILE [cluster] "$@".
# Cluster mode (app servers announce themselves, balancers discover them) when FOOBAR_CLUSTER_MEMBERS is set:
#   FOOBAR_CLUSTER_MEMBERS    Hazelcast members, e.g. "app-1:5701,app-2:5701,balancer:5701" (required)
#   FOOBAR_CLUSTER_NAME       cluster name (default foobar)
#   FOOBAR_CLUSTER_PORT       Hazelcast port (default 5701)
#   FOOBAR_CLUSTER_HOST       this member's address (default: the container's first address)
#   FOOBAR_CLUSTER_INTERFACE  interface pattern Hazelcast binds to (default: FOOBAR_CLUSTER_HOST)
set -eu
cluster=""
if [ -n "${FOOBAR_CLUSTER_MEMBERS:-}" ]; then
  host="${FOOBAR_CLUSTER_HOST:-$(hostname -i | awk '{print $1}')}"
  JAVA_OPTS="${JAVA_OPTS:-} -Dvertx.hazelcast.config=/opt/foobar/conf/cluster.xml \
    -Dfoobar.cluster.name=${FOOBAR_CLUSTER_NAME:-foobar} -Dfoobar.cluster.port=${FOOBAR_CLUSTER_PORT:-5701} \
    -Dfoobar.cluster.interface=${FOOBAR_CLUSTER_INTERFACE:-$host} -Dfoobar.cluster.members=${FOOBAR_CLUSTER_MEMBERS}"
  cluster="-cluster -cluster-host $host"
fi
# JAVA_OPTS and $cluster are split into words on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /opt/foobar/tier.jar -conf "/opt/foobar/${CONF_FILE}" $cluster "$@"
