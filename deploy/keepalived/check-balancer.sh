#!/bin/sh
# keepalived track script: succeeds while this machine's balancer is ready to serve, i.e. its management port
# answers /health/ready with 200 (the balancer listens and at least one application server is up).
# Usage: check-balancer.sh [management-port] [management-host]   (defaults 8180, 127.0.0.1)
# Exit 0 = ready; anything else makes keepalived move the floating address to the peer.
port="${1:-8180}"
host="${2:-127.0.0.1}"
exec curl --silent --fail --output /dev/null --max-time 1 --noproxy '*' "http://${host}:${port}/health/ready"
