#!/usr/bin/env bash
# Failed requests and throughput while every tier is restarted the rolling way ('./foobar restart all': app-1,
# app-2, the balancer, the monitor) under wrk, against the same stack's steady state.
# Usage: bench/rolling-restart.sh   (env: CONNECTIONS [64], STEADY_SECONDS [15], DURING_SECONDS [45],
#        URL_PATH [/api/posts?limit=5], PORT_BASE [23000]: the stack's ports are PORT_BASE+0..+9)
# It runs its own stack ('./foobar up' in a temporary state folder) and removes it at the end.
source "$(dirname "$0")/lib.sh"

CONNECTIONS=${CONNECTIONS:-64}
STEADY=${STEADY_SECONDS:-15}
DURING=${DURING_SECONDS:-45}
URL_PATH=${URL_PATH:-/api/posts?limit=5}
BASE=${PORT_BASE:-23000}

need_packages wrk:wrk curl:curl
WORK=$(mktemp -d /tmp/rolling-bench.XXXXXX)
export FOOBAR_STATE=$WORK/state
export FOOBAR_PRIMARY_PORT=$((BASE)) FOOBAR_REPLICA_PORT=$((BASE + 1)) FOOBAR_APP1_PORT=$((BASE + 2)) \
  FOOBAR_APP1_MANAGEMENT_PORT=$((BASE + 3)) FOOBAR_APP2_PORT=$((BASE + 4)) FOOBAR_APP2_MANAGEMENT_PORT=$((BASE + 5)) \
  FOOBAR_LB_PORT=$((BASE + 6)) FOOBAR_LB_MANAGEMENT_PORT=$((BASE + 7)) FOOBAR_LB_TLS_PORT=$((BASE + 8)) \
  FOOBAR_MONITOR_PORT=$((BASE + 9))
trap '"$REPO/foobar" destroy >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
URL=http://127.0.0.1:$FOOBAR_LB_PORT$URL_PATH

"$REPO/foobar" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; exit 1; }
for i in $(seq 1 50); do
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"author\":\"bench\",\"title\":\"post $i\",\"body\":\"rolling restart benchmark\"}" \
    "http://127.0.0.1:$FOOBAR_LB_PORT/api/posts"
done
log "warm-up"
wrk -t1 -c"$CONNECTIONS" -d10s "$URL" >/dev/null

failed() { # wrk output -> socket errors + non-2xx
  awk '/Socket errors/ { gsub(",", ""); s = $4 + $6 + $8 + $10 } /Non-2xx/ { n = $5 } END { print s + n + 0 }'
}
rps() { awk '/Requests\/sec/ { print $2 }'; }

log "steady state: wrk -t1 -c$CONNECTIONS -d${STEADY}s"
wrk -t1 -c"$CONNECTIONS" -d"${STEADY}s" "$URL" >"$WORK/steady.txt"
log "rolling restart of every tier under wrk -t1 -c$CONNECTIONS -d${DURING}s"
wrk -t1 -c"$CONNECTIONS" -d"${DURING}s" "$URL" >"$WORK/during.txt" &
WRK=$!
sleep 2
t0=$SECONDS
"$REPO/foobar" restart all >"$WORK/restart.log" 2>&1 || { cat "$WORK/restart.log" >&2; exit 1; }
took=$((SECONDS - t0))
wait "$WRK"
((took + 2 < DURING)) || log "WARNING: the restart took ${took}s, longer than wrk's run: raise DURING_SECONDS"

steady_rps=$(rps <"$WORK/steady.txt")
during_rps=$(rps <"$WORK/during.txt")
cat <<OUT
Rolling restart ('./foobar restart all': app-1, app-2, lb, monitor) under wrk -t1 -c$CONNECTIONS on $URL_PATH,
2 cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1)
restart took ${took}s inside a ${DURING}s wrk run
                      requests   failed (socket errors + non-2xx)   req/s
steady state          $(awk '/requests in/ { print $1 }' "$WORK/steady.txt")   $(failed <"$WORK/steady.txt")   $steady_rps
during the restart    $(awk '/requests in/ { print $1 }' "$WORK/during.txt")   $(failed <"$WORK/during.txt")   $during_rps
throughput during / steady: $(awk -v a="$during_rps" -v b="$steady_rps" 'BEGIN { printf "%.2f", a / b }')
OUT
log "wrk output during the restart:"
cat "$WORK/during.txt" >&2
