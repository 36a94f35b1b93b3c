#!/usr/bin/env bash
# Read throughput of the API through the balancer with plain reads on the replica (A, the default routing)
# versus reads forced to the primary (B: the same app servers with no replica configured). One MariaDB pair,
# two balancer+two-app stacks side by side on it, wrk alternately A B A B after a warm-up, on
# GET /api/posts?limit=20 and GET /api/posts/{id}, 64 connections. Prints req/s and p99 per run and the median
# ratio A/B. Usage: bench/reads-replica-vs-primary.sh   (env: ROUNDS=3 DURATION=10s WARMUP=5s CONNECTIONS=64
# JAVA_OPTS="-Xms256m -Xmx256m")
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-64}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP_JAR="$ROOT/app-verticle/target/app-verticle.jar"
LB_JAR="$ROOT/lb-verticle/target/lb-verticle.jar"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[[ -f $APP_JAR && -f $LB_JAR ]] || (cd "$ROOT" && mvn -B -q -pl app-verticle,lb-verticle -am package -DskipTests)

WORK=$(mktemp -d /tmp/reads-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/scripts/mariadb-pair" destroy "$WORK/state" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "$1 never answered" >&2; return 1; }

PRIMARY=$(free_port); REPLICA=$(free_port)
"$ROOT/scripts/mariadb-pair" up "$WORK/state" "$PRIMARY" "$REPLICA" >/dev/null

start_stack() { # name replicas-json -> sets LB_URL_<name>
  local name=$1 replicas=$2 backends=() i port mgmt
  for i in 1 2; do
    port=$(free_port); mgmt=$(free_port)
    env FOOBAR_APP_NAME="$name-app-$i" FOOBAR_APP_PORT="$port" FOOBAR_APP_MANAGEMENT_PORT="$mgmt" \
      FOOBAR_APP_PRIMARY_PORT="$PRIMARY" FOOBAR_APP_REPLICAS="$replicas" \
      FOOBAR_APP_PASSWORD_FILE="$WORK/state/secrets/app.password" \
      java $JAVA_OPTS -jar "$APP_JAR" -conf "$ROOT/conf/app-1.json" >"$WORK/$name-app-$i.log" 2>&1 &
    pids+=("$!")
    wait_http "http://127.0.0.1:$mgmt/health/ready"
    backends+=("127.0.0.1:$port")
  done
  port=$(free_port); mgmt=$(free_port)
  env FOOBAR_LB_PORT="$port" FOOBAR_LB_MANAGEMENT_PORT="$mgmt" FOOBAR_LB_BACKENDS="$(IFS=,; echo "${backends[*]}")" \
    FOOBAR_LB_ACCESS_LOG=off FOOBAR_LB_FIREWALL_RATE_LIMITS='[]' FOOBAR_LB_FIREWALL_MAX_CONNECTIONS_PER_CLIENT=0 \
    java $JAVA_OPTS -jar "$LB_JAR" -conf "$ROOT/conf/lb.json" >"$WORK/$name-lb.log" 2>&1 &
  pids+=("$!")
  wait_http "http://127.0.0.1:$mgmt/health/ready"
  printf -v "LB_URL_$name" 'http://127.0.0.1:%s' "$port"
}

start_stack A "[{\"host\":\"127.0.0.1\",\"port\":$REPLICA}]"
start_stack B '[]'

for n in $(seq 1 200); do
  curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"author\":\"bench\",\"title\":\"post $n\",\"body\":\"$(head -c 300 /dev/zero | tr '\0' x)\"}" "$LB_URL_A/api/posts"
done
sleep 1
ID=$(curl -fs "$LB_URL_A/api/posts?limit=1" | sed -E 's/.*"id":([0-9]+).*/\1/')

run() { # url -> "req/s p99ms"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.1f\n", rps, p99}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "reads on the replica (A) vs forced to the primary (B); $ROUNDS rounds x $DURATION, $CONNECTIONS connections"
for path in "/api/posts?limit=20" "/api/posts/$ID"; do
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$LB_URL_A$path" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$LB_URL_B$path" >/dev/null
  ra=(); rb=(); pa=(); pb=()
  for r in $(seq 1 "$ROUNDS"); do
    read -r x y < <(run "$LB_URL_A$path"); ra+=("$x"); pa+=("$y")
    read -r x y < <(run "$LB_URL_B$path"); rb+=("$x"); pb+=("$y")
    echo "  $path round $r: replica ${ra[-1]} req/s p99 ${pa[-1]} ms | primary ${rb[-1]} req/s p99 ${pb[-1]} ms"
  done
  ma=$(printf '%s\n' "${ra[@]}" | median); mb=$(printf '%s\n' "${rb[@]}" | median)
  qa=$(printf '%s\n' "${pa[@]}" | median); qb=$(printf '%s\n' "${pb[@]}" | median)
  printf '%s: median replica %s req/s (p99 %s ms), primary %s req/s (p99 %s ms), ratio replica/primary %.2f\n' \
    "$path" "$ma" "$qa" "$mb" "$qb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN {print a / b}')"
done
