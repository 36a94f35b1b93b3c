#!/usr/bin/env bash
# The whole stack vs the design's own, each on its own MariaDB primary + replica:
#   classic: HAProxy (round robin) -> 2 x nginx + PHP-FPM (pm=static, 4 children each) -> MariaDB, async replication
#   ours:    ./foobar up with the shipped conf/*.json: lb -> app-1, app-2 -> MariaDB with semi-sync, access log,
#            metrics and the monitor (probing, failover manager) all on, as deployed.
# The one change to ours: wrk is one client address, so the balancer's per-client limits (writes 2/s, 64
# connections) are off, as HAProxy has none. Same 10,000 seeded posts of ~300 bytes on both; wrk -t1 -c64, random
# ids; rounds interleaved, medians of 3 after a JIT warm-up; CPU per request and per tier from /proc/<pid>/stat.
# Usage: flock /work/wt/bench.lock bench/stack-vs-classic.sh
#   env: ROUNDS [3], SECONDS_PER_RUN [10], WARMUP [10], JIT_WARMUP [20], CONNECTIONS [64], SEED_ROWS [10000],
#        FPM_CHILDREN [4], PORT_BASE [24000] (uses PORT_BASE..PORT_BASE+30), ENDPOINTS ["get list post"],
#        OURS_ENV (extra VAR=value words for ours, e.g. "FOOBAR_LB_ACCESS_LOG=off" for an A/B run),
#        HOLD=1 (keep both stacks up for profiling by hand, measure nothing)
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
RUN=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP:-10}
JIT_WARMUP=${JIT_WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-64}
FPM_CHILDREN=${FPM_CHILDREN:-4}
BASE=${PORT_BASE:-24000}
read -r -a ENDPOINTS <<<"${ENDPOINTS:-get list post}"
export WRK_THREADS=1

need_packages wrk:wrk nginx:nginx haproxy:haproxy php-fpm8.2:php-fpm php:php-cli curl:curl python3:python3
php -m 2>/dev/null | grep -x mysqli >/dev/null || need_packages __none__:php-mysql
FPM=$(ls /usr/sbin/php-fpm* | head -1)
WORK=$(mktemp -d /tmp/stack-bench.XXXXXX)
chmod 755 "$WORK"
OURS_STATE=$WORK/ours
CLASSIC_DB=$WORK/classic-db

# ---- ours, as ./foobar up starts it, in its own state directory and port block
ours_settings "$OURS_STATE" "$BASE"
cleanup() {
  stop_all
  ours destroy >/dev/null 2>&1 || true
  "$REPO/scripts/mariadb-pair" destroy "$CLASSIC_DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ours up >&2
OURS="http://127.0.0.1:$BASE"
LB=$(cat "$OURS_STATE/run/lb.pid"); APPS=($(cat "$OURS_STATE/run/app-1.pid" "$OURS_STATE/run/app-2.pid"))
MONITOR=$(cat "$OURS_STATE/run/monitor.pid")
OURS_DB=($(cat "$OURS_STATE"/db/*/mariadbd.pid))

# ---- the design's: its own MariaDB pair with asynchronous replication, HAProxy -> nginx + PHP-FPM, twice
declare -A PORT=([haproxy]=$((BASE + 20)) [web1]=$((BASE + 21)) [web2]=$((BASE + 22)) [primary]=$((BASE + 26))
  [replica]=$((BASE + 27)))
"$REPO/scripts/mariadb-pair" up "$CLASSIC_DB" "${PORT[primary]}" "${PORT[replica]}" >&2
"$REPO/scripts/mariadb-pair" sql "$CLASSIC_DB" replica "SET GLOBAL rpl_semi_sync_slave_enabled = 0;
  STOP SLAVE IO_THREAD; START SLAVE IO_THREAD" >&2
"$REPO/scripts/mariadb-pair" sql "$CLASSIC_DB" primary "SET GLOBAL rpl_semi_sync_master_enabled = 0" >&2
CLASSIC_DB_PIDS=($(cat "$CLASSIC_DB"/db/*/mariadbd.pid))
PASSWORD_FILE="$CLASSIC_DB/secrets/app.password"
# the schema, as the app's migrations make it (the PHP site has none of its own)
for table in posts; do
  "$REPO/scripts/mariadb-pair" sql "$OURS_STATE" primary "SHOW CREATE TABLE foobar.$table" -N -B | cut -f2 \
    | sed 's/\\n/\n/g' | "$REPO/scripts/mariadb-pair" sql "$CLASSIC_DB" primary "" foobar
done
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
env[DB_PRIMARY_PORT] = ${PORT[primary]}
env[DB_REPLICA_PORT] = ${PORT[replica]}
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
  start_bg "php-fpm-$n" "$dir/logs/fpm.out" "$FPM" -R -F -y "$dir/php-fpm.conf"; WEB_PIDS+=("g$LAST_PID")
  start_bg "nginx-$n" "$dir/logs/nginx.out" nginx -p "$dir" -c "$dir/nginx.conf"; WEB_PIDS+=("g$LAST_PID")
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
CLASSIC="http://127.0.0.1:${PORT[haproxy]}"
wait_http_ok "$OURS/api/posts?limit=1" 60
wait_http_ok "$CLASSIC/api/posts?limit=1" 30

# ---- the same posts on both: fixed ids and times, so both stacks answer the same bytes
seed=$(seed_sql)
"$REPO/scripts/mariadb-pair" sql "$OURS_STATE" primary "$seed" >&2
"$REPO/scripts/mariadb-pair" sql "$CLASSIC_DB" primary "$seed" >&2
wait_http_ok "$OURS/api/posts/$((ID_BASE + SEED_ROWS))" 30   # the replicas have the last seeded row
wait_http_ok "$CLASSIC/api/posts/$((ID_BASE + SEED_ROWS))" 30
for path in "/api/posts/$((ID_BASE + 1))" "/api/posts?limit=20&before=$((ID_BASE + SEED_ROWS))"; do
  cmp -s <(curl -s "$OURS$path") <(curl -s "$CLASSIC$path") \
    || { echo "the two stacks answer $path differently:" >&2; curl -s "$OURS$path" | head -c 300 >&2; echo >&2;
         curl -s "$CLASSIC$path" | head -c 300 >&2; exit 1; }
done
log "one post is $(curl -s "$OURS/api/posts/$((ID_BASE + 1))" | wc -c) bytes of JSON"

if [[ -n ${HOLD:-} ]]; then
  log "holding: ours $OURS (state $OURS_STATE), classic $CLASSIC; stop with kill $$"
  sleep infinity & wait $!
fi

# ---- interleaved runs, CPU per tier sampled around each measured run
declare -A R    # endpoint,side,what -> one value per round, a line each
tiers_of() { # side -> "name=pids" words
  if [[ $1 == ours ]]; then
    echo "balancer=$LB app=${APPS[0]},${APPS[1]} db=${OURS_DB[0]},${OURS_DB[1]} monitor=$MONITOR"
  else
    echo "balancer=$HAPROXY app=$(IFS=,; echo "${WEB_PIDS[*]}") db=${CLASSIC_DB_PIDS[0]},${CLASSIC_DB_PIDS[1]}"
  fi
}
endpoint_args() { # name -> path and wrk script
  case $1 in
    get) echo "/ -s $BENCH_DIR/lua/get-post.lua" ;;
    list) echo "/api/posts?limit=20" ;;
    post) echo "/api/posts -s $BENCH_DIR/lua/create-post.lua" ;;
  esac
}
measure() { # endpoint side round
  local base=$OURS path script extra tier pids before=() i=0 rps p99 bad requests ticks
  [[ $2 == classic ]] && base=$CLASSIC
  read -r path script < <(endpoint_args "$1"); read -r -a extra <<<"${script:-}"
  for tier in $(tiers_of "$2"); do pids=${tier#*=}; before+=("$(cpu_ticks ${pids//,/ })"); done
  read -r rps p99 bad requests < <(wrk_stats "$base$path" "$RUN" "$CONNECTIONS" "${extra[@]}")
  for tier in $(tiers_of "$2"); do
    pids=${tier#*=}; ticks=$(( $(cpu_ticks ${pids//,/ }) - before[i++] ))
    R[$1,$2,cpu_${tier%%=*}]+="$(awk -v t="$ticks" -v n="$requests" 'BEGIN { printf "%.0f", n ? t * 10000 / n : 0 }')"$'\n'
  done
  log "round $3 $1 $2: $rps req/s, p99 $p99 ms, non-2xx $bad"
  R[$1,$2,rps]+="$rps"$'\n'; R[$1,$2,p99]+="$p99"$'\n'; R[$1,$2,bad]=$(( ${R[$1,$2,bad]:-0} + bad ))
}
warm() { # endpoint base seconds
  local path script extra
  read -r path script < <(endpoint_args "$1"); read -r -a extra <<<"${script:-}"
  wrk_run "$2$path" "$3" "$CONNECTIONS" "${extra[@]}" >/dev/null
}
# The JVMs compile their hot paths in the first tens of seconds: warm every endpoint of ours once first.
for endpoint in "${ENDPOINTS[@]}"; do log "JIT warm-up of ours: $endpoint (${JIT_WARMUP}s)"; warm "$endpoint" "$OURS" "$JIT_WARMUP"; done
for endpoint in "${ENDPOINTS[@]}"; do
  warm "$endpoint" "$OURS" "$WARMUP"; warm "$endpoint" "$CLASSIC" "$WARMUP"
  for round in $(seq "$ROUNDS"); do measure "$endpoint" ours "$round"; measure "$endpoint" classic "$round"; done
done

med() { printf '%s' "${R[$1]:-0}" | median; }
mib() { echo $(( $(peak_rss_kb "$@") / 1024 )); }
echo
echo "$(date -u '+%F %H:%M UTC'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "wrk -t1 -c$CONNECTIONS -d${RUN}s, $ROUNDS interleaved rounds after ${JIT_WARMUP}s JIT warm-up of ours per endpoint and ${WARMUP}s warm-up of each side, medians;"
echo "$SEED_ROWS seeded posts, random ids; PHP-FPM pm=static, $FPM_CHILDREN children per server; $(java -version 2>&1 | head -1);"
echo "$(nginx -v 2>&1); $(haproxy -v | head -1); $($FPM -v | head -1); ${OURS_ENV:+ours with $OURS_ENV}"
echo
echo '| endpoint | ours req/s | classic req/s | ratio | p99 ours / classic ms | non-2xx ours / classic |'
echo '|---|---|---|---|---|---|'
for endpoint in "${ENDPOINTS[@]}"; do
  case $endpoint in get) name='GET /api/posts/{id}' ;; list) name='GET /api/posts?limit=20' ;; post) name='POST /api/posts' ;; esac
  o=$(med "$endpoint,ours,rps"); c=$(med "$endpoint,classic,rps")
  printf '| `%s` | %.0f | %.0f | %.2fx | %s / %s | %s / %s |\n' "$name" "$o" "$c" "$(awk -v a="$o" -v b="$c" 'BEGIN { print b ? a / b : 0 }')" \
    "$(med "$endpoint,ours,p99")" "$(med "$endpoint,classic,p99")" "${R[$endpoint,ours,bad]}" "${R[$endpoint,classic,bad]}"
done
echo
echo 'CPU per request, us (median of the rounds; all processes of the tier; ours: app = app-1 + app-2, db = primary + replica):'
echo
echo '| endpoint | ours balancer | ours app | ours db | ours monitor | classic HAProxy | classic nginx + PHP-FPM | classic db |'
echo '|---|---|---|---|---|---|---|---|'
for endpoint in "${ENDPOINTS[@]}"; do
  echo "| $endpoint | $(med "$endpoint,ours,cpu_balancer") | $(med "$endpoint,ours,cpu_app") | $(med "$endpoint,ours,cpu_db") | $(med "$endpoint,ours,cpu_monitor") | $(med "$endpoint,classic,cpu_balancer") | $(med "$endpoint,classic,cpu_app") | $(med "$endpoint,classic,cpu_db") |"
done
echo
echo '| tier | ours: peak RSS | classic: peak RSS |'
echo '|---|---|---|'
echo "| balancer | lb $(mib "$LB") MiB | HAProxy $(mib "$HAPROXY") MiB |"
echo "| servers (both) | app-1 + app-2 $(mib "${APPS[@]}") MiB | nginx + PHP-FPM $(mib "${WEB_PIDS[@]#g}") MiB |"
echo "| databases | primary + replica $(mib "${OURS_DB[@]}") MiB | primary + replica $(mib "${CLASSIC_DB_PIDS[@]}") MiB |"
echo "| monitor | $(mib "$MONITOR") MiB | - |"
