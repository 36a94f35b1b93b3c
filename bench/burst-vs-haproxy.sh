#!/usr/bin/env bash
# Bursts and idle keep-alive connections: our balancer (its default configuration) against HAProxy 2.6, side by
# side in one run, both in front of the same two nginx backends (per-server limit 64, queue timeout 5 s on both,
# which are our defaults; HAProxy has no maxqueue, ours defaults to 100,000 per backend).
#  1. Burst: BURST connections are opened (keep-alive), then every one sends one GET at once
#     (bench/burst_client.py); answered (2xx), non-2xx, errors and the seconds until the last answer, per round,
#     HAProxy and ours alternately.
#  2. Idle: IDLE connections each send one GET and then stay open and idle; the resident set (VmRSS) of the
#     balancer before and with them open gives the memory per idle connection; for ours also the live heap after a
#     full GC (jcmd GC.run + GC.heap_info) and the largest per-connection entries of the class histogram.
# Our per-client connection cap and rate limits are off (the client is one address; HAProxy has none configured);
# everything else is the balancer's default (access log on, to a file in the work directory). The JVM gets the
# launcher's default options. Both processes need more than 1,024 descriptors: this script raises `ulimit -n` to
# the hard limit (the JVM raises its own soft limit to the hard one anyway; HAProxy sizes its own from maxconn,
# about 2 x maxconn, and fails to start when the hard limit is lower: 9,500 fits the hard limit of 20,000 here).
# Usage: bench/burst-vs-haproxy.sh   (env: BURST=5000 IDLE=8000 ROUNDS=3 LB_JAVA_OPTS=-Xmx256m
#        LB_INSTANCES=<cores> JAR=<a balancer jar, default the built one> PORT_BASE=22000 — fixed ports PORT_BASE..PORT_BASE+4)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BURST=${BURST:-5000}
IDLE=${IDLE:-8000}
ROUNDS=${ROUNDS:-3}
LB_JAVA_OPTS=${LB_JAVA_OPTS:--Xmx256m}
LB_INSTANCES=${LB_INSTANCES:-$(nproc)}
PORT_BASE=${PORT_BASE:-22000}
JAR_GIVEN=${JAR:-}
JAR=${JAR:-$REPO/lb-verticle/target/lb-verticle.jar}
CLIENT="$BENCH_DIR/burst_client.py"

need_packages nginx:nginx haproxy:haproxy wrk:wrk
export PATH="$PATH:/usr/sbin"
[[ -n $JAR_GIVEN ]] || build_jars lb-verticle # JAR=<path>: that build, as it is
ulimit -n "$(ulimit -Hn)"
most=$((IDLE > BURST ? IDLE : BURST))
((most < $(ulimit -n) - 200)) || { echo "ulimit -n $(ulimit -n) is too low for $most connections" >&2; exit 1; }

WORK=$(mktemp -d /tmp/burst-bench.XXXXXX)
cleanup() {
  stop_all
  for f in "$WORK"/nginx-*/nginx.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.3
  rm -rf "$WORK"
}
trap cleanup EXIT
wait_port() { for _ in $(seq 400); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

chmod 755 "$WORK" # nginx workers run as nobody
mkdir -p "$WORK/www" "$WORK/logs"
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$WORK/www/1k.txt"
printf 'ok' >"$WORK/www/healthz"

backends=()
for n in 1 2; do
  port=$((PORT_BASE + n))
  mkdir -p "$WORK/nginx-$n"
  nginx_backend_conf "$WORK/nginx-$n" "$port" "$WORK/www" 4096
  nginx -c "$WORK/nginx-$n/nginx.conf" -p "$WORK/nginx-$n"
  wait_port "$port"
  backends+=("127.0.0.1:$port")
done

HAPROXY_PORT=$((PORT_BASE + 3))
cat >"$WORK/haproxy.cfg" <<CONF
global
  maxconn 9500
  nbthread $LB_INSTANCES
defaults
  mode http
  maxconn 9500
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  timeout queue 5s
  retries 2
  option redispatch
frontend www
  bind 127.0.0.1:$HAPROXY_PORT
  option forwardfor
  unique-id-format %[uuid()]
  unique-id-header X-Request-Id
  http-response set-header X-Request-Id %[unique-id]
  default_backend app
backend app
  balance roundrobin
  http-reuse always
  option httpchk GET /healthz
  server app1 ${backends[0]} check inter 2s maxconn 64
  server app2 ${backends[1]} check inter 2s maxconn 64
CONF
start_bg haproxy "$WORK/haproxy.log" haproxy -f "$WORK/haproxy.cfg" -db
HAPROXY_PID=$LAST_PID
wait_port "$HAPROXY_PORT"

LB_PORT=$((PORT_BASE + 4))
cat >"$WORK/lb.json" <<CONF
{ "host": "127.0.0.1", "port": $LB_PORT, "management": {"host": "127.0.0.1", "port": 0},
  "backends": ["${backends[0]}", "${backends[1]}"],
  "firewall": { "rateLimits": [], "maxConnectionsPerClient": 0 } }
CONF
# shellcheck disable=SC2086
start_bg ours "$WORK/lb.log" env FOOBAR_LOG_DIR="$WORK/logs" FOOBAR_LOG_NAME=lb \
  java $LB_JAVA_OPTS -jar "$JAR" -conf "$WORK/lb.json" -instances "$LB_INSTANCES"
LB_PID=$LAST_PID
wait_port "$LB_PORT" || { cat "$WORK/lb.log"; exit 1; }
for port in "$HAPROXY_PORT" "$LB_PORT"; do wait_http_ok "http://127.0.0.1:$port/1k.txt" 30; done

echo "haproxy $(haproxy -v | head -1 | awk '{print $3}') (nbthread $LB_INSTANCES, maxconn 9500) on :$HAPROXY_PORT;" \
  "ours ($LB_JAVA_OPTS, instances $LB_INSTANCES, defaults) on :$LB_PORT; nginx ${backends[*]}; ulimit -n $(ulimit -n)"
log "warm-up: wrk 10 s on each"
for port in "$HAPROXY_PORT" "$LB_PORT"; do wrk_stats "http://127.0.0.1:$port/1k.txt" 10 64 >/dev/null; done

rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
heap_used_kb() { # pid -> used heap (KiB) after a full GC
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); sum += v } } END { print sum }'
}
histogram() { jcmd "$1" GC.class_histogram | awk 'NR > 3 && $1 ~ /^[0-9]+:$/ { print $4, $2, $3 }' | sort >"$2"; }

results="$WORK/results.txt"
echo "== burst: $BURST keep-alive connections, one GET /1k.txt each at once"
for round in $(seq "$ROUNDS"); do
  for target in "haproxy $HAPROXY_PORT" "ours $LB_PORT"; do
    set -- $target
    line=$(python3 "$CLIENT" burst 127.0.0.1 "$2" /1k.txt "$BURST")
    printf 'round %d %-7s %s\n' "$round" "$1" "$line"
    echo "burst $round $1 $line" >>"$results"
    sleep 1
  done
done

echo "== idle: $IDLE keep-alive connections after one GET /1k.txt each, held open"
for round in $(seq "$ROUNDS"); do
  for target in "haproxy $HAPROXY_PORT $HAPROXY_PID" "ours $LB_PORT $LB_PID"; do
    set -- $target
    sleep 1
    [[ $1 == ours ]] && { heap_before=$(heap_used_kb "$3"); histogram "$3" "$WORK/histo-before"; }
    rss_before=$(rss_kb "$3")
    fifo="$WORK/hold"
    rm -f "$fifo" && mkfifo "$fifo"
    python3 "$CLIENT" idle 127.0.0.1 "$2" /1k.txt "$IDLE" <"$fifo" >"$WORK/idle.out" &
    client=$!
    exec {hold}>"$fifo"
    until grep -q ready "$WORK/idle.out" 2>/dev/null; do
      kill -0 "$client" 2>/dev/null || { cat "$WORK/idle.out"; echo "idle client died" >&2; exit 1; }
      sleep 0.2
    done
    sleep 2
    rss_with=$(rss_kb "$3")
    extra=""
    if [[ $1 == ours ]]; then
      heap_with=$(heap_used_kb "$3")
      rss_with_gc=$(rss_kb "$3")
      histogram "$3" "$WORK/histo-with"
      extra=$(printf ' heap_after_gc_per_conn_B=%.0f rss_after_gc_per_conn_B=%.0f' \
        "$(((heap_with - heap_before) * 1024 / IDLE))" "$(((rss_with_gc - rss_before) * 1024 / IDLE))")
      if ((round == ROUNDS)); then
        join -a2 -e0 -o 0,1.2,1.3,2.2,2.3 "$WORK/histo-before" "$WORK/histo-with" |
          awk -v n="$IDLE" '{ d = $5 - $3; if (d > 0) printf "%8.1f B/conn %7.2f inst/conn  %s\n", d / n, ($4 - $2) / n, $1 }' |
          sort -rn | head -25 >"$WORK/histo-top"
      fi
    fi
    exec {hold}>&-
    wait "$client" || true
    line="$(head -1 "$WORK/idle.out") rss_per_conn_B=$(((rss_with - rss_before) * 1024 / IDLE))$extra"
    printf 'round %d %-7s %s\n' "$round" "$1" "$line"
    echo "idle $round $1 $line" >>"$results"
  done
done
if [[ -f $WORK/histo-top ]]; then
  echo "== ours, live heap growth per idle connection by class (last round, after a full GC):"
  cat "$WORK/histo-top"
fi

python3 - "$results" "$BURST" "$IDLE" <<'PY'
import sys, statistics
rows = [line.split() for line in open(sys.argv[1])]
def field(row, name):
    for word in row[3:]:
        key, _, value = word.partition("=")
        if key == name:
            return float(value)
    return None
def med(kind, side, name):
    values = [field(r, name) for r in rows if r[0] == kind and r[2] == side and field(r, name) is not None]
    return statistics.median(values) if values else float("nan")
for side in ("haproxy", "ours"):
    print(f"burst {sys.argv[2]} {side}: median answered {med('burst', side, 'answered'):.0f}, "
          f"non-2xx {med('burst', side, 'non2xx'):.0f}, errors {med('burst', side, 'errors'):.0f}, "
          f"all answered in {med('burst', side, 'seconds'):.2f} s")
for side in ("haproxy", "ours"):
    extra = ""
    if side == "ours":
        extra = (f", live heap after GC {med('idle', side, 'heap_after_gc_per_conn_B') / 1024:.2f} KiB, "
                 f"RSS after that GC {med('idle', side, 'rss_after_gc_per_conn_B') / 1024:.2f} KiB")
    print(f"idle {sys.argv[3]} {side}: median RSS per connection {med('idle', side, 'rss_per_conn_B') / 1024:.2f} KiB"
          + extra)
PY
