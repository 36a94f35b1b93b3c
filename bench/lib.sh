# Shared helpers of the benchmark scripts (sourced, not run).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
PIDS=()

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

need_packages() { # binary:package ... -> installs the packages whose binary is missing
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [[ -x "/usr/sbin/${pair%%:*}" ]] || missing+=("${pair#*:}")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then echo "run as root or install: ${missing[*]}" >&2; exit 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_bg() { # name logfile command... -> starts it in its own session; its pid is in LAST_PID (and PIDS)
  local name=$1 logf=$2; shift 2
  setsid "$@" </dev/null >>"$logf" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  log "started $name (pid $LAST_PID)"
}

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  PIDS=()
}

nginx_backend_conf() { # dir port root worker_connections -> writes dir/nginx.conf: a static backend, logs off
  cat >"$1/nginx.conf" <<CONF
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections $4; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000; keepalive_timeout 60s;
  client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1; uwsgi_temp_path $1; scgi_temp_path $1;
  server { listen 127.0.0.1:$2; root $3; default_type text/plain; }
}
CONF
}

wait_http() { # url [seconds] -> waits until the URL answers at all
  local url=$1 deadline=$((SECONDS + ${2:-60}))
  until curl -s -o /dev/null "$url"; do
    ((SECONDS < deadline)) || { echo "timed out waiting for $url" >&2; return 1; }
    sleep 0.3
  done
}

wait_http_ok() { # url seconds -> waits until the URL answers 2xx
  local url=$1 deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$url"; do
    ((SECONDS < deadline)) || { echo "no 2xx from $url within $2 s" >&2; curl -s "$url" >&2; return 1; }
    sleep 0.3
  done
}

build_jars() { # module... -> builds the jars when missing or older than the sources
  local module stale=0
  for module in "$@"; do
    local jar="$REPO/$module/target/$module.jar"
    if [[ ! -f $jar ]] || [[ -n $(find "$REPO/$module/src" "$REPO/common/src/main" -newer "$jar" -type f | head -1) ]]; then
      stale=1
    fi
  done
  if ((stale)); then
    log "building $*"
    (cd "$REPO" && mvn -B -q -pl "$(IFS=,; echo "$*")" -am package -DskipTests)
  fi
}

# wrk_stats url seconds [connections] [extra wrk args...] -> prints "req_per_s p99_ms non_2xx requests"
# (WRK_THREADS: wrk's -t, 2 unless set)
wrk_stats() {
  local url=$1 seconds=$2 connections=${3:-64}; shift 3 || shift $#
  wrk -t"${WRK_THREADS:-2}" -c"$connections" -d"${seconds}s" --latency "$@" "$url" | awk '
    /Requests\/sec:/ { rps = $2 }
    / requests in / { requests = $1 }
    /^ +99%/ { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
               p99 = unit == "us" ? v / 1000 : unit == "s" ? v * 1000 : v }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.0f %.2f %s %s\n", rps, p99, (bad ? bad : 0), requests + 0 }'
}

# wrk_run url seconds [connections] [extra wrk args...] -> prints "req_per_s p99_ms non_2xx"
wrk_run() { wrk_stats "$@" | cut -d' ' -f1-3; }

cpu_ticks() { # pid... -> utime+stime (clock ticks) summed; a pid written gPID counts its whole process group
  local pid child total=0
  for pid in "$@"; do
    for child in $([[ $pid == g* ]] && pgrep -g "${pid#g}" || echo "${pid#g}"); do
      # the fields after the command name (which may hold spaces): utime is the 12th, stime the 13th
      total=$((total + $(sed 's/^.*) //' "/proc/$child/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0)))
    done
  done
  echo "$total"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

peak_rss_kb() { # pid... -> the peak resident set (VmHWM) summed over the processes and their children
  local total=0 pid child
  for pid in "$@"; do
    for child in $(pgrep -g "$pid" 2>/dev/null || echo "$pid"); do
      local hwm
      hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$child/status" 2>/dev/null || echo 0)
      total=$((total + ${hwm:-0}))
    done
  done
  echo "$total"
}

# ---- ours, as ./foobar up starts it (the shipped conf/*.json), for the whole-stack benchmarks
export SEED_ROWS=${SEED_ROWS:-10000}
export ID_BASE=100000 # seeded ids start past whatever the monitor's probe wrote first

ours_settings() { # state_dir port_base -> OURS_VARS, the launcher's environment (OURS_ENV: extra VAR=value words)
  # wrk is one client address: the balancer's per-client limits (writes 2/s, 64 connections) are off, as HAProxy has none
  local extra
  read -r -a extra <<<"${OURS_ENV:-}"
  OURS_VARS=(FOOBAR_STATE="$1" FOOBAR_PRIMARY_PORT=$(($2 + 6)) FOOBAR_REPLICA_PORT=$(($2 + 7))
    FOOBAR_APP1_PORT=$(($2 + 1)) FOOBAR_APP1_MANAGEMENT_PORT=$(($2 + 11))
    FOOBAR_APP2_PORT=$(($2 + 2)) FOOBAR_APP2_MANAGEMENT_PORT=$(($2 + 12))
    FOOBAR_LB_PORT=$2 FOOBAR_LB_MANAGEMENT_PORT=$(($2 + 10)) FOOBAR_LB_TLS_PORT=$(($2 + 3))
    FOOBAR_MONITOR_PORT=$(($2 + 9)) FOOBAR_UP_TIMEOUT=120
    FOOBAR_LB_FIREWALL_RATE_LIMITS='[]' FOOBAR_LB_FIREWALL_MAX_CONNECTIONS_PER_CLIENT=0 "${extra[@]}")
}
ours() { env "${OURS_VARS[@]}" "$REPO/foobar" "$@"; }

seed_sql() { # -> SQL for SEED_ROWS posts of ~300 bytes with fixed ids and times (both stacks answer the same bytes)
  echo "USE foobar; INSERT INTO posts (id, author, title, body, created_at, updated_at)
  SELECT $ID_BASE + seq, CONCAT('author ', seq), CONCAT('Seeded post ', seq),
  REPEAT('Some text of a seeded post. ', 9), '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000' FROM seq_1_to_$SEED_ROWS"
}
