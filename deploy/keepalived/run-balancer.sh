#!/bin/sh
# Runs the balancer and tells keepalived the moment its JVM exits, however it exits (SIGKILL, OOM, crash):
# keepalived watches the state file (track_file, inotify) and moves the floating address at once, instead of
# at its next readiness check, which it runs at most once a second.
#
# Usage: run-balancer.sh <state-file> <command...>
#   run-balancer.sh /run/foobar/balancer.state java -jar /opt/foobar/lb-verticle.jar -conf /etc/foobar/lb.json
# The state file holds 0 while the balancer's process runs and 1 once it has exited (keepalived: non-zero =
# FAULT). SIGTERM/SIGINT/SIGHUP are passed on to the balancer, which drains and exits; the exit status is its.
set -u
state="$1"
shift
mark() {
  # Written whole (rename), so keepalived never reads a half-written file.
  printf '%s\n' "$1" >"$state.tmp" && mv -f "$state.tmp" "$state"
}
mkdir -p "$(dirname "$state")"
"$@" &
pid=$!
mark 0
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
status=0
while :; do
  wait "$pid"
  status=$?
  # wait also returns when a trapped signal arrives: go on waiting while the balancer still runs.
  kill -0 "$pid" 2>/dev/null || break
done
mark 1
exit "$status"
