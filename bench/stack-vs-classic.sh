#!/usr/bin/env bash
# The whole stack vs the design's own: HAProxy -> two nginx + PHP-FPM servers, against our lb jar -> two app
# jars, both on the same MariaDB primary + replica, serving the same API. wrk is one client address: the
# balancer's per-client limits (on by default: writes 2/s) are off here, as HAProxy has none.
# Usage: bench/stack-vs-classic.sh   (env: ROUNDS [3], SECONDS_PER_RUN [10], WARMUP [10], JIT_WARMUP [20], CONNECTIONS [64],
#        SEED_ROWS [1000], FPM_CHILDREN [8 per server], JAVA_OPTS [-Xmx256m])
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
RUN=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP:-10}
JIT_WARMUP=${JIT_WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-64}
export SEED_ROWS=${SEED_ROWS:-1000}
FPM_CHILDREN=${FPM_CHILDREN:-8}
read -r -a JVM <<<"${JAVA_OPTS:--Xmx256m}"

need_packages wrk:wrk nginx:nginx haproxy:haproxy php-fpm8.2:php-fpm php:php-cli curl:curl python3:python3
php -m 2>/dev/null | grep -x mysqli >/dev/null || need_packages __none__:php-mysql
FPM=$(ls /usr/sbin/php-fpm* | head -1)
build_jars app-verticle lb-verticle
WORK=$(mktemp -d /tmp/stack-bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_all; "$REPO/scripts/mariadb-pair" destroy "$WORK/db" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# ---- the databases, shared by both stacks
PRIMARY=$(free_port); REPLICA=$(free_port)
"$REPO/scripts/mariadb-pair" install >&2
"$REPO/scripts/mariadb-pair" up "$WORK/db" "$PRIMARY" "$REPLICA" >&2
PASSWORD_FILE="$WORK/db/secrets/app.password"

# ---- ours: lb jar -> app-1, app-2
declare -A PORT
for part in lb lb_mgmt app1 app1_mgmt app2 app2_mgmt haproxy web1 web2; do PORT[$part]=$(free_port); done
for n in 1 2; do
  cat >"$WORK/app-$n.json" <<JSON
{ "name": "app-$n", "port": ${PORT[app$n]}, "management": { "port": ${PORT[app${n}_mgmt]} },
  "primary": { "host": "127.0.0.1", "port": $PRIMARY }, "replicas": [ { "host": "127.0.0.1", "port": $REPLICA } ],
  "passwordFile": "$PASSWORD_FILE" }
JSON
done
cat >"$WORK/lb.json" <<JSON
{ "port": ${PORT[lb]}, "management": { "port": ${PORT[lb_mgmt]} },
  "backends": ["127.0.0.1:${PORT[app1]}", "127.0.0.1:${PORT[app2]}"],
  "firewall": { "rateLimits": [], "maxConnectionsPerClient": 0 } }
JSON
start_bg app-1 "$WORK/app-1.log" java "${JVM[@]}" -jar "$REPO/app-verticle/target/app-verticle.jar" -conf "$WORK/app-1.json"; APP1=$LAST_PID
wait_http "http://127.0.0.1:${PORT[app1]}/healthz" 90   # app-1 creates the schema before app-2 starts
start_bg app-2 "$WORK/app-2.log" java "${JVM[@]}" -jar "$REPO/app-verticle/target/app-verticle.jar" -conf "$WORK/app-2.json"; APP2=$LAST_PID
start_bg lb "$WORK/lb.log" java "${JVM[@]}" -jar "$REPO/lb-verticle/target/lb-verticle.jar" -conf "$WORK/lb.json"; LB=$LAST_PID

# ---- the design's: HAProxy -> nginx + PHP-FPM, twice
for n in 1 2; do
  dir="$WORK/web$n"; mkdir -p "$dir/logs"
  cat >"$dir/php-fpm.conf" <<CONF
[global]
pid = $dir/php-fpm.pid
error_log = $dir/logs/php-fpm.log
daemonize = no
[www]
listen = $dir/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = $FPM_CHILDREN
clear_env = yes
env[DB_PASSWORD_FILE] = $PASSWORD_FILE
env[DB_PRIMARY_PORT] = $PRIMARY
env[DB_REPLICA_PORT] = $REPLICA
env[SERVER_NAME_TAG] = web-$n
CONF
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:${PORT[web$n]};
    location = /healthz { default_type application/json; return 200 '{"status":"UP"}'; }
    location /api/ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $BENCH_DIR/php/api.php;
      fastcgi_keep_conn on;
      fastcgi_pass unix:$dir/php-fpm.sock;
    }
  }
}
CONF
  start_bg "php-fpm-$n" "$dir/logs/fpm.out" "$FPM" -R -F -y "$dir/php-fpm.conf"; FPM_PIDS[$n]=$LAST_PID
  start_bg "nginx-$n" "$dir/logs/nginx.out" nginx -p "$dir" -c "$dir/nginx.conf"; NGINX_PIDS[$n]=$LAST_PID
done
cat >"$WORK/haproxy.cfg" <<CONF
global
  maxconn 4096
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
  http-reuse always
frontend www
  bind 127.0.0.1:${PORT[haproxy]}
  default_backend servers
backend servers
  balance roundrobin
  option httpchk GET /healthz
  server web1 127.0.0.1:${PORT[web1]} check inter 500 rise 2 fall 2
  server web2 127.0.0.1:${PORT[web2]} check inter 500 rise 2 fall 2
CONF
start_bg haproxy "$WORK/haproxy.log" haproxy -db -f "$WORK/haproxy.cfg"; HAPROXY=$LAST_PID

OURS="http://127.0.0.1:${PORT[lb]}"
CLASSIC="http://127.0.0.1:${PORT[haproxy]}"
wait_http "$OURS/healthz" 90
wait_http "$CLASSIC/healthz" 30
wait_http_ok "$OURS/api/posts?limit=1" 30
wait_http_ok "$CLASSIC/api/posts?limit=1" 30

# ---- seed, wait for the replica, and check both stacks answer the same JSON
"$REPO/scripts/mariadb-pair" sql "$WORK/db" primary "USE foobar; INSERT INTO posts (author, title, body, created_at, updated_at)
  SELECT CONCAT('author ', seq), CONCAT('Seeded post ', seq), REPEAT('Some text of a seeded post. ', 10),
  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM seq_1_to_$SEED_ROWS" >&2
wait_http_ok "$OURS/api/posts/$SEED_ROWS" 30   # the replica has the last seeded row
for path in "/api/posts/1" "/api/posts?limit=20"; do
  cmp -s <(curl -s "$OURS$path") <(curl -s "$CLASSIC$path") \
    || { echo "the two stacks answer $path differently:" >&2; curl -s "$OURS$path" | head -c 300 >&2; echo >&2;
         curl -s "$CLASSIC$path" | head -c 300 >&2; exit 1; }
done

if [[ -n ${HOLD:-} ]]; then   # for profiling by hand: keep both stacks up and run nothing
  log "holding: ours $OURS (apps :${PORT[app1]} :${PORT[app2]}), classic $CLASSIC; stop with kill $$"
  sleep infinity & wait $!
fi

# ---- interleaved runs
declare -A RESULTS
endpoint_args() { # name -> path and wrk script
  case $1 in
    get) echo "/ -s $BENCH_DIR/lua/get-post.lua" ;;
    list) echo "/api/posts?limit=20" ;;
    post) echo "/api/posts -s $BENCH_DIR/lua/create-post.lua" ;;
  esac
}
# The JVMs compile their hot paths in the first tens of seconds (slower still on a busy machine): warm every
# endpoint of ours once before anything is measured, as a server that has run for a while would be.
for endpoint in get list post; do
  read -r path script < <(endpoint_args "$endpoint")
  read -r -a extra <<<"${script:-}"
  log "JIT warm-up of ours: $endpoint (${JIT_WARMUP}s)"
  wrk_run "$OURS$path" "$JIT_WARMUP" "$CONNECTIONS" "${extra[@]}" >/dev/null
done
for endpoint in get list post; do
  read -r path script < <(endpoint_args "$endpoint")
  read -r -a extra <<<"${script:-}"
  for side in ours classic; do
    base=$OURS; [[ $side == classic ]] && base=$CLASSIC
    wrk_run "$base$path" "$WARMUP" "$CONNECTIONS" "${extra[@]}" >/dev/null
  done
  for round in $(seq "$ROUNDS"); do
    for side in ours classic; do
      base=$OURS; [[ $side == classic ]] && base=$CLASSIC
      read -r rps p99 bad < <(wrk_run "$base$path" "$RUN" "$CONNECTIONS" "${extra[@]}")
      log "round $round $endpoint $side: $rps req/s, p99 $p99 ms, non-2xx $bad"
      RESULTS[$endpoint,$side,rps]+="$rps"$'\n'; RESULTS[$endpoint,$side,p99]+="$p99"$'\n'
      RESULTS[$endpoint,$side,bad]=$(( ${RESULTS[$endpoint,$side,bad]:-0} + bad ))
    done
  done
done

mib() { echo $(( $(peak_rss_kb "$@") / 1024 )); }
echo
echo "Load average at the end (other processes on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Whole stack, $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${RUN}s, $ROUNDS interleaved rounds after ${JIT_WARMUP}s JIT warm-up of ours per endpoint and ${WARMUP}s warm-up of each side, medians;"
echo "$SEED_ROWS seeded posts; PHP-FPM pm=static with $FPM_CHILDREN children per server; $(java -version 2>&1 | head -1);"
echo "$(nginx -v 2>&1); $(haproxy -v | head -1); $($FPM -v | head -1)"
echo
echo '| endpoint | ours req/s | classic req/s | ratio | ours p99 ms | classic p99 ms | non-2xx ours / classic |'
echo '|---|---|---|---|---|---|---|'
for endpoint in get list post; do
  read -r path _ < <(endpoint_args "$endpoint")
  [[ $endpoint == get ]] && path="/api/posts/{id}"
  o=$(printf '%s' "${RESULTS[$endpoint,ours,rps]}" | median); c=$(printf '%s' "${RESULTS[$endpoint,classic,rps]}" | median)
  printf '| `%s %s` | %.0f | %.0f | %.2fx | %s | %s | %s / %s |\n' "$([[ $endpoint == post ]] && echo POST || echo GET)" \
    "$path" "$o" "$c" "$(awk -v a="$o" -v b="$c" 'BEGIN { print a / b }')" \
    "$(printf '%s' "${RESULTS[$endpoint,ours,p99]}" | median)" "$(printf '%s' "${RESULTS[$endpoint,classic,p99]}" | median)" \
    "${RESULTS[$endpoint,ours,bad]}" "${RESULTS[$endpoint,classic,bad]}"
done
echo
echo '| tier | ours: peak RSS | classic: peak RSS |'
echo '|---|---|---|'
echo "| balancer | lb jar $(mib "$LB") MiB | HAProxy $(mib "$HAPROXY") MiB |"
echo "| servers (both) | app jars $(mib "$APP1" "$APP2") MiB | nginx + PHP-FPM $(mib "${NGINX_PIDS[1]}" "${NGINX_PIDS[2]}" "${FPM_PIDS[1]}" "${FPM_PIDS[2]}") MiB |"
echo "| databases (shared) | primary + replica $(mib $(cat "$WORK"/db/db/*/mariadbd.pid)) MiB | same |"
