#!/usr/bin/env bash
# How warm a freshly started app server is: the stack as ./foobar up starts it, 10,000 seeded posts, then app-1 is
# stopped and started again (as `./foobar up` starts a tier that is not running) and measured straight on its own
# port: its first SECONDS_PER_RUN seconds of GET /api/posts/{random id} against the same after WARM seconds of load.
# Once with the shipped warm-up (warmUpMs) and once without it (FOOBAR_APP_WARM_UP_MS=0), ROUNDS times each,
# alternating; medians.
# Usage: flock /work/wt/bench.lock bench/warm-start.sh   (env: ROUNDS [3], SECONDS_PER_RUN [10], WARM [30],
#        CONNECTIONS [64], PORT_BASE [24100], MODES ["shipped none"], OURS_ENV as in stack-vs-classic.sh)
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
RUN=${SECONDS_PER_RUN:-10}
WARM=${WARM:-30}
CONNECTIONS=${CONNECTIONS:-64}
BASE=${PORT_BASE:-24100}
MODES=${MODES:-shipped none}
export WRK_THREADS=1

need_packages wrk:wrk curl:curl
WORK=$(mktemp -d /tmp/warm-bench.XXXXXX)
ours_settings "$WORK/ours" "$BASE"
trap 'ours destroy >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
ours up >&2
"$REPO/scripts/mariadb-pair" sql "$WORK/ours" primary "$(seed_sql)" >&2
APP1="http://127.0.0.1:$((BASE + 1))"
wait_http_ok "$APP1/api/posts/$((ID_BASE + SEED_ROWS))" 30

declare -A R
for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    kill "$(cat "$WORK/ours/run/app-1.pid")"
    while curl -s -o /dev/null "$APP1/healthz"; do sleep 0.2; done
    if [[ $mode == none ]]; then
      OURS_VARS+=(FOOBAR_APP_WARM_UP_MS=0); ours up >/dev/null 2>&1; unset 'OURS_VARS[${#OURS_VARS[@]}-1]'
    else
      ours up >/dev/null 2>&1
    fi
    read -r first _ < <(wrk_run "$APP1/" "$RUN" "$CONNECTIONS" -s "$BENCH_DIR/lua/get-post.lua")
    wrk_run "$APP1/" "$WARM" "$CONNECTIONS" -s "$BENCH_DIR/lua/get-post.lua" >/dev/null
    read -r warm _ < <(wrk_run "$APP1/" "$RUN" "$CONNECTIONS" -s "$BENCH_DIR/lua/get-post.lua")
    log "round $round, warm-up $mode: first ${RUN}s $first req/s, warm $warm req/s"
    R[$mode,first]+="$first"$'\n'; R[$mode,warm]+="$warm"$'\n'
    R[$mode,ratio]+="$(awk -v a="$first" -v b="$warm" 'BEGIN { printf "%.2f", a / b }')"$'\n'
  done
done

echo
echo "$(date -u '+%F %H:%M UTC'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "app-1 restarted and measured on its own port: wrk -t1 -c$CONNECTIONS -d${RUN}s GET /api/posts/{random id} right after it is ready,"
echo "then after ${WARM}s of the same load; $ROUNDS rounds alternating, medians; ${OURS_ENV:+ours with $OURS_ENV}"
echo
echo '| warm-up | first 10 s req/s | warm req/s | first / warm |'
echo '|---|---|---|---|'
for mode in $MODES; do
  label=$([[ $mode == shipped ]] && echo 'shipped (`warmUpMs` default)' || echo 'none (`warmUpMs` 0)')
  printf '| %s | %s | %s | %s |\n' "$label" "$(printf '%s' "${R[$mode,first]}" | median)" \
    "$(printf '%s' "${R[$mode,warm]}" | median)" "$(printf '%s' "${R[$mode,ratio]}" | median)"
done
