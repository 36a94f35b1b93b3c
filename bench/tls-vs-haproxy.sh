#!/usr/bin/env bash
# HTTPS at the balancer vs HAProxy: two nginx backends, HAProxy 2.6 (`nbthread` = cores, `bind ... ssl crt ...
# alpn h2,http/1.1`) and our balancer jar with its shipped TLS defaults (`-instances` = cores), both with the same
# ECDSA P-256 certificate. After a warm-up, wrk runs alternately against HAProxy and ours, in two modes:
#   keepalive  HTTPS requests on 64 kept-alive connections (the cost of the record layer and the proxying)
#   close      `Connection: close` on every request (wrk's lua header): a full new TLS handshake per request
# Prints req/s and p99 per run, then medians and the median of the per-round ratios ours/HAProxy.
# Usage: bench/tls-vs-haproxy.sh   (env: ROUNDS [3], SECONDS_PER_RUN [8], WARMUP [8], CONNECTIONS [64],
#        LB_INSTANCES [nproc], LB_JAVA_OPTS [-Xms256m -Xmx256m -XX:+UseParallelGC], TLS_ENGINE [shipped default],
#        MODES ["keepalive close"])
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
RUN=${SECONDS_PER_RUN:-8}
WARMUP=${WARMUP:-8}
CONNECTIONS=${CONNECTIONS:-64}
LB_INSTANCES=${LB_INSTANCES:-$(nproc)}
MODES=${MODES:-keepalive close}
read -r -a JVM <<<"${LB_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
export PATH="$PATH:/usr/sbin"

need_packages wrk:wrk nginx:nginx haproxy:haproxy curl:curl python3:python3 openssl:openssl
build_jars lb-verticle
WORK=$(mktemp -d /tmp/tls-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as nobody
trap 'stop_all; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/www"
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$WORK/www/1k.txt"
printf 'ok' >"$WORK/www/healthz"
chmod -R a+rX "$WORK/www"

# One ECDSA P-256 certificate for both; HAProxy wants the chain and the key in one file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/haproxy.pem"

backends=()
for n in 1 2; do
  port=$(free_port); dir="$WORK/nginx-$n"; mkdir -p "$dir"
  nginx_backend_conf "$dir" "$port" "$WORK/www" 16384
  start_bg "nginx-$n" "$dir/out.log" nginx -p "$dir" -c "$dir/nginx.conf" -g "daemon off;"
  backends+=("127.0.0.1:$port")
done

HAPROXY_PORT=$(free_port)
cat >"$WORK/haproxy.cfg" <<CONF
global
  maxconn 4000
  nbthread $LB_INSTANCES
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  timeout queue 5s
  retries 2
  option redispatch
frontend www
  bind 127.0.0.1:$HAPROXY_PORT ssl crt $WORK/haproxy.pem alpn h2,http/1.1
  option forwardfor
  http-request set-header X-Forwarded-Proto https
  http-response set-header Strict-Transport-Security max-age=31536000
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
start_bg haproxy "$WORK/haproxy.log" haproxy -f "$WORK/haproxy.cfg" -db; HAPROXY_PID=$LAST_PID

LB_PORT=$(free_port); LB_TLS=$(free_port); LB_MGMT=$(free_port)
engine=""
[[ -n ${TLS_ENGINE:-} ]] && engine=", \"engine\": \"$TLS_ENGINE\""
cat >"$WORK/lb.json" <<CONF
{ "host": "127.0.0.1", "port": $LB_PORT, "management": {"host": "127.0.0.1", "port": $LB_MGMT},
  "backends": ["${backends[0]}", "${backends[1]}"], "accessLog": "off", "clusterDiscovery": false,
  "tls": { "port": $LB_TLS, "certificates": [{"cert": "$WORK/cert.pem", "key": "$WORK/key.pem"}]$engine },
  "firewall": { "rateLimits": [], "maxConnectionsPerClient": 0 } }
CONF
cp "$REPO/lb-verticle/target/lb-verticle.jar" "$WORK/lb.jar"  # a rebuild during the run cannot touch it
start_bg ours "$WORK/lb.log" java "${JVM[@]}" -jar "$WORK/lb.jar" \
  -conf "$WORK/lb.json" -instances "$LB_INSTANCES"; LB_PID=$LAST_PID

for url in "https://127.0.0.1:$HAPROXY_PORT/1k.txt" "https://127.0.0.1:$LB_TLS/1k.txt"; do
  deadline=$((SECONDS + 60))  # the JVM's start, then two passed health checks each
  until [[ $(curl -sk -o /dev/null -w '%{http_code}' "$url") == 200 ]]; do
    ((SECONDS < deadline)) || { echo "$url never answered 200" >&2; cat "$WORK/lb.log" "$WORK/haproxy.log" >&2; exit 1; }
    sleep 0.3
  done
done
cmp -s <(curl -sk "https://127.0.0.1:$LB_TLS/1k.txt") "$WORK/www/1k.txt" || { echo "ours serves another 1k.txt" >&2; exit 1; }
describe() { # port -> "protocol cipher" of a fresh handshake
  openssl s_client -connect "127.0.0.1:$1" -servername localhost </dev/null 2>/dev/null \
    | awk '/^New,/ { print $2, $NF }' | head -1
}
engine_line=$(grep -m1 -o 'TLS engine.*' "$WORK/lb.log" || echo 'TLS engine: not logged')
echo "haproxy $(haproxy -v | head -1 | awk '{print $3}') nbthread $LB_INSTANCES on :$HAPROXY_PORT ($(describe "$HAPROXY_PORT")); ours ${JVM[*]} -instances $LB_INSTANCES on :$LB_TLS ($(describe "$LB_TLS"); $engine_line)"

echo 'wrk.headers["Connection"] = "close"' >"$WORK/close.lua"
bench_args() { [[ $1 == close ]] && echo "-s $WORK/close.lua" || true; }

printf '| mode | HAProxy req/s | ours req/s | ratio | HAProxy p99 ms | ours p99 ms | p99 ratio |\n|---|---|---|---|---|---|---|\n' >"$WORK/table"
for mode in $MODES; do
  read -r -a extra <<<"$(bench_args "$mode")"
  log "warm-up $mode (${WARMUP}s each)"
  wrk_run "https://127.0.0.1:$HAPROXY_PORT/1k.txt" "$WARMUP" "$CONNECTIONS" "${extra[@]}" >/dev/null
  wrk_run "https://127.0.0.1:$LB_TLS/1k.txt" "$WARMUP" "$CONNECTIONS" "${extra[@]}" >/dev/null
  : >"$WORK/$mode.rows"
  for round in $(seq "$ROUNDS"); do
    line="$round"
    for side in haproxy ours; do
      port=$HAPROXY_PORT; [[ $side == ours ]] && port=$LB_TLS
      read -r rps p99 bad < <(wrk_run "https://127.0.0.1:$port/1k.txt" "$RUN" "$CONNECTIONS" "${extra[@]}")
      [[ $bad == 0 ]] || log "WARNING: $side answered $bad non-2xx responses"
      log "round $round $mode $side: $rps req/s, p99 $p99 ms"
      line+=" $rps $p99"
    done
    echo "$line" >>"$WORK/$mode.rows"
  done
  # rows: round haproxy_rps haproxy_p99 ours_rps ours_p99 -> medians and median of per-round ratios
  awk -v mode="$mode" '
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { n++; hr[n] = $2; hp[n] = $3; ur[n] = $4; up[n] = $5; rr[n] = $4 / $2; pr[n] = $5 / $3 }
    END { printf "| %s | %.0f | %.0f | %.2fx | %.2f | %.2f | %.2fx |\n", mode, med(hr, n), med(ur, n), med(rr, n),
          med(hp, n), med(up, n), med(pr, n) }' "$WORK/$mode.rows" >>"$WORK/table"
done

echo
echo "Load average at the end (other processes on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "HTTPS, $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${RUN}s on /1k.txt, $ROUNDS interleaved rounds after ${WARMUP}s warm-up, medians (ratio = median of per-round ours/HAProxy); $(java -version 2>&1 | head -1)"
echo "Peak RSS: HAProxy $(( $(peak_rss_kb "$HAPROXY_PID") / 1024 )) MiB, ours $(( $(peak_rss_kb "$LB_PID") / 1024 )) MiB"
echo
cat "$WORK/table"
