#!/usr/bin/env bash
# Balancer vs HAProxy: two nginx backends, HAProxy (Debian package) with an equivalent round-robin config, and
# our balancer jar on the same backends. After a warm-up, wrk runs alternately against HAProxy (A) and ours (B),
# A B A B ..., on a 1 KiB static file and a tiny body, at 64 connections. Prints req/s and p99 per run and the
# median ratio ours/HAProxy. Both do the same work per request: X-Forwarded-For/-Proto/-Host and a random
# UUID X-Request-Id to the backend and back, health checks every 500 ms, per-server limit 64, retries, no
# logging; both run as many threads / event loops as there are cores (HAProxy's default nbthread). Neither limits
# clients (wrk is one address; our per-client limits, on by default, are off here as HAProxy has none configured).
# Usage: bench/lb-vs-haproxy.sh   (env: ROUNDS=5 DURATION=10s CONNECTIONS=64 THREADS=2 WARMUP=10s
# LB_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" LB_INSTANCES=<cores> FOOBAR_TRANSPORT=auto)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
LB_JAVA_OPTS=${LB_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
LB_INSTANCES=${LB_INSTANCES:-$(nproc)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/lb-verticle/target/lb-verticle.jar"

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -q -pl lb-verticle -am package -DskipTests)
fi

WORK=$(mktemp -d /tmp/lb-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$WORK"/nginx-*/nginx.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 400); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

chmod 755 "$WORK"  # nginx workers run as nobody
mkdir -p "$WORK/www"
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$WORK/www/1k.txt"
printf 'ok' >"$WORK/www/tiny.txt"
printf 'ok' >"$WORK/www/healthz"

backends=()
for n in 1 2; do
  port=$(free_port)
  dir="$WORK/nginx-$n"
  mkdir -p "$dir"
  nginx_backend_conf "$dir" "$port" "$WORK/www" 4096
  nginx -c "$dir/nginx.conf" -p "$dir"
  wait_port "$port"
  backends+=("127.0.0.1:$port")
done

HAPROXY_PORT=$(free_port)
cat >"$WORK/haproxy.cfg" <<CONF
global
  maxconn 4000
  nbthread $LB_INSTANCES
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  timeout queue 5s
  retries 2
  option redispatch
  retry-on conn-failure empty-response response-timeout
frontend www
  bind 127.0.0.1:$HAPROXY_PORT
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  unique-id-format %[uuid()]
  unique-id-header X-Request-Id
  http-response set-header X-Request-Id %[unique-id]
  default_backend app
backend app
  balance roundrobin
  http-reuse always
  option httpchk GET /healthz
  server app1 ${backends[0]} check inter 500 rise 2 fall 2 maxconn 64
  server app2 ${backends[1]} check inter 500 rise 2 fall 2 maxconn 64
CONF
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
pids+=($!)
wait_port "$HAPROXY_PORT"

LB_PORT=$(free_port)
LB_MGMT=$(free_port)
cat >"$WORK/lb.json" <<CONF
{ "host": "127.0.0.1", "port": $LB_PORT, "management": {"host": "127.0.0.1", "port": $LB_MGMT},
  "backends": ["${backends[0]}", "${backends[1]}"], "accessLog": "off",
  "firewall": { "rateLimits": [], "maxConnectionsPerClient": 0 } }
CONF
# shellcheck disable=SC2086
java $LB_JAVA_OPTS -jar "$JAR" -conf "$WORK/lb.json" -instances "$LB_INSTANCES" >"$WORK/lb.log" 2>&1 &
pids+=($!)
wait_port "$LB_PORT" || { cat "$WORK/lb.log"; exit 1; }

for port in "$HAPROXY_PORT" "$LB_PORT"; do
  for file in 1k.txt tiny.txt; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$file")
    [ "$code" = 200 ] || { echo "GET :$port/$file answered $code, not 200" >&2; exit 1; }
  done
done
transport=$(jcmd "${pids[-1]}" Thread.print 2>/dev/null | grep -o -m1 -E 'netty\.channel\.(uring|epoll|nio)' | sed 's/.*\.//')
echo "haproxy $(haproxy -v | head -1 | awk '{print $3}') (nbthread $LB_INSTANCES) on :$HAPROXY_PORT, ours ($LB_JAVA_OPTS, instances $LB_INSTANCES, transport ${transport:-unknown}) on :$LB_PORT, nginx backends ${backends[*]}"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds, warm-up $WARMUP each"

# Prints "<req/s> <p99 ms>" for one wrk run.
run() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency "$2" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } p99 = v }
    / Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors/ { err = $0 }
    END { printf "%s %s %s\n", rps, p99, (bad == "" ? 0 : bad) }'
}

results="$WORK/results.txt"
for file in 1k.txt tiny.txt; do
  for target in "haproxy $HAPROXY_PORT" "ours $LB_PORT"; do
    set -- $target
    run "$WARMUP" "http://127.0.0.1:$2/$file" >/dev/null
  done
  for round in $(seq "$ROUNDS"); do
    for target in "haproxy $HAPROXY_PORT" "ours $LB_PORT"; do
      set -- $target
      read -r rps p99 bad < <(run "$DURATION" "http://127.0.0.1:$2/$file")
      printf '%-8s round %d %-7s %10s req/s  p99 %7s ms  non-2xx %s\n' "$file" "$round" "$1" "$rps" "$p99" "$bad"
      echo "$file $round $1 $rps $p99" >>"$results"
    done
  done
done

python3 - "$results" <<'PY'
import sys, statistics
rows = [line.split() for line in open(sys.argv[1])]
for f in sorted({r[0] for r in rows}):
    by = {}
    for r in rows:
        if r[0] == f:
            by.setdefault(int(r[1]), {})[r[2]] = (float(r[3]), float(r[4]))
    rps = [by[k]["ours"][0] / by[k]["haproxy"][0] for k in sorted(by)]
    p99 = [by[k]["ours"][1] / by[k]["haproxy"][1] for k in sorted(by)]
    med = lambda side, i: statistics.median(by[k][side][i] for k in by)
    print(f"{f}: median req/s haproxy {med('haproxy',0):.0f} ours {med('ours',0):.0f}; "
          f"median p99 haproxy {med('haproxy',1):.2f} ms ours {med('ours',1):.2f} ms; "
          f"median ratio ours/haproxy req/s {statistics.median(rps):.2f}, p99 {statistics.median(p99):.2f}")
PY
