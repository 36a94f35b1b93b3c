#!/usr/bin/env bash
# Static files: the app tier's jar vs Debian's nginx on the same 1 KiB and 100 KiB files.
# Usage: bench/static-vs-nginx.sh   (env: EVENT_LOOPS [nproc], ROUNDS [5], SECONDS_PER_RUN [10], WARMUP [10],
#        CONNECTIONS [64], JAVA_OPTS [-Xmx256m], PORT_BASE [24200]: uses PORT_BASE..PORT_BASE+2)
# Interleaved runs after a warm-up (A B A B ...); prints medians of req/s and p99 and the ratio app/nginx.
source "$(dirname "$0")/lib.sh"

EVENT_LOOPS=${EVENT_LOOPS:-$(nproc)}
ROUNDS=${ROUNDS:-5}
RUN=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
read -r -a JVM <<<"${JAVA_OPTS:--Xmx256m}"

need_packages wrk:wrk nginx:nginx curl:curl python3:python3
build_jars app-verticle
WORK=$(mktemp -d /tmp/static-bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_all; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/site" "$WORK/nginx/logs"
for size in 1024 102400; do
  file="$WORK/site/$((size / 1024))k.css"
  head -c "$size" /dev/urandom | base64 -w 76 >"$file"
  truncate -s "$size" "$file"
done
chmod -R a+rX "$WORK/site"

BASE=${PORT_BASE:-24200}
APP_PORT=$BASE; APP_MGMT=$((BASE + 1)); NGINX_PORT=$((BASE + 2))
cat >"$WORK/app.json" <<JSON
{ "name": "bench", "port": $APP_PORT, "management": { "port": $APP_MGMT }, "webRoot": "$WORK/site",
  "migrate": false, "primary": { "port": 9 }, "replicas": [] }
JSON
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes $EVENT_LOOPS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  access_log off;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  # The headers the app tier sends with every file (SiteHeaders, FileResponder), so both sides write the same.
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/site; etag on;
    add_header X-Served-By bench;
    add_header Content-Security-Policy "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    add_header X-Content-Type-Options nosniff;
    add_header X-Frame-Options DENY;
    add_header Referrer-Policy strict-origin-when-cross-origin;
    add_header Cross-Origin-Opener-Policy same-origin;
    add_header Cache-Control "public, max-age=300";
    add_header Vary Accept-Encoding; }
}
CONF

start_bg app "$WORK/app.log" java "${JVM[@]}" -jar "$REPO/app-verticle/target/app-verticle.jar" \
  -conf "$WORK/app.json" -instances "$EVENT_LOOPS"; APP_PID=$LAST_PID
start_bg nginx "$WORK/nginx.log" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"; NGINX_PID=$LAST_PID
wait_http "http://127.0.0.1:$APP_PORT/1k.css"
wait_http "http://127.0.0.1:$NGINX_PORT/1k.css"
for file in 1k.css 100k.css; do
  cmp -s <(curl -s "http://127.0.0.1:$APP_PORT/$file") <(curl -s "http://127.0.0.1:$NGINX_PORT/$file") \
    || { echo "app and nginx do not serve the same $file" >&2; exit 1; }
done

head_bytes() { curl -s -D - -o /dev/null "$1" | wc -c; }
log "response head of 1k.css: app $(head_bytes "http://127.0.0.1:$APP_PORT/1k.css") bytes, nginx $(head_bytes "http://127.0.0.1:$NGINX_PORT/1k.css") bytes"
declare -A RPS P99
printf '| file | app req/s | nginx req/s | ratio | app p99 ms | nginx p99 ms |\n|---|---|---|---|---|---|\n' >"$WORK/table"
for file in 1k.css 100k.css; do
  log "warm-up $file (${WARMUP}s each)"
  wrk_run "http://127.0.0.1:$APP_PORT/$file" "$WARMUP" "$CONNECTIONS" >/dev/null
  wrk_run "http://127.0.0.1:$NGINX_PORT/$file" "$WARMUP" "$CONNECTIONS" >/dev/null
  for side in app nginx; do RPS[$side]=""; P99[$side]=""; done
  for round in $(seq "$ROUNDS"); do
    for side in app nginx; do
      port=$APP_PORT; [[ $side == nginx ]] && port=$NGINX_PORT
      read -r rps p99 bad < <(wrk_run "http://127.0.0.1:$port/$file" "$RUN" "$CONNECTIONS")
      [[ $bad == 0 ]] || { echo "$side answered $bad non-2xx responses" >&2; exit 1; }
      log "round $round $file $side: $rps req/s, p99 $p99 ms"
      RPS[$side]+="$rps"$'\n'; P99[$side]+="$p99"$'\n'
    done
  done
  app_rps=$(printf '%s' "${RPS[app]}" | median); nginx_rps=$(printf '%s' "${RPS[nginx]}" | median)
  app_p99=$(printf '%s' "${P99[app]}" | median); nginx_p99=$(printf '%s' "${P99[nginx]}" | median)
  printf '| %s | %.0f | %.0f | %.2fx | %s | %s |\n' "$file" "$app_rps" "$nginx_rps" \
    "$(awk -v a="$app_rps" -v b="$nginx_rps" 'BEGIN { print a / b }')" "$app_p99" "$nginx_p99" >>"$WORK/table"
done

echo
echo "Load average at the end (other processes on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Static files, $(nproc) cores, $EVENT_LOOPS event loops / nginx workers, wrk -t2 -c$CONNECTIONS -d${RUN}s, $ROUNDS interleaved rounds after ${WARMUP}s warm-up, medians; $(java -version 2>&1 | head -1); $(nginx -v 2>&1)"
echo "Peak RSS: app $(( $(peak_rss_kb "$APP_PID") / 1024 )) MiB, nginx $(( $(peak_rss_kb "$NGINX_PID") / 1024 )) MiB"
echo
cat "$WORK/table"
