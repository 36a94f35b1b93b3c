# shellcheck shell=bash
# Sourced by ./foobar: the local stack's Prometheus and Alertmanager (Debian's prometheus and
# prometheus-alertmanager), both on loopback with their data under STATE, run like the tiers (pid files under
# STATE/run, output under STATE/logs). FOOBAR_MONITORING=off leaves them out of 'up'.
#
# Prometheus runs conf/prometheus.yml itself, made concrete for this stack (STATE/prometheus/prometheus.yml):
# the launcher's ports, the state directory's management token and the absolute path of conf/alerts.yml. The
# shipped file is written for the default ports and state, so the same file works by hand (README).

MONITORING=${FOOBAR_MONITORING:-on}
case $MONITORING in
  on | off) ;;
  *) usage_error "FOOBAR_MONITORING='$MONITORING' is neither on nor off" ;;
esac
PROMETHEUS_PORT=$(port_setting FOOBAR_PROMETHEUS_PORT 9090)
ALERTMANAGER_PORT=$(port_setting FOOBAR_ALERTMANAGER_PORT 9093)
MONITORS=(prometheus alertmanager)

monitoring_on() { [[ $MONITORING == on ]]; }

# Debian calls Alertmanager prometheus-alertmanager; an upstream install calls it alertmanager.
monitor_binary() {
  case $1 in
    prometheus) command -v prometheus ;;
    alertmanager) command -v prometheus-alertmanager || command -v alertmanager ;;
  esac
}

monitor_dir() { printf '%s/%s\n' "$STATE" "$1"; } # its data (and Prometheus's generated configuration)
monitor_port() { if [[ $1 == prometheus ]]; then echo "$PROMETHEUS_PORT"; else echo "$ALERTMANAGER_PORT"; fi; }

# Prometheus and Alertmanager when missing, like the MariaDB binaries: without recommends (Debian's prometheus
# recommends the node exporter) and without letting the packages start their system services.
ensure_monitoring_tools() {
  local pkgs=()
  monitor_binary prometheus >/dev/null || pkgs+=(prometheus)
  monitor_binary alertmanager >/dev/null || pkgs+=(prometheus-alertmanager)
  ((${#pkgs[@]})) || return 0
  apt_install_quietly "monitoring (FOOBAR_MONITORING=off runs without it)" "${pkgs[@]}"
}

# The run-time configuration: conf/prometheus.yml with this stack's ports, token file and rule file. Targets go
# through placeholders first, so that swapped ports (say FOOBAR_LB_MANAGEMENT_PORT=8181) cannot be mapped twice.
prometheus_config() {
  local dir token
  token=$(abspath "$TOKEN_FILE")
  dir=$(monitor_dir prometheus)
  mkdir -p "$dir"
  if [[ -n ${FOOBAR_MANAGEMENT_TOKEN:-} ]]; then # a token from the environment: Prometheus reads files only
    token=$dir/management.token
    (umask 077 && printf '%s\n' "$FOOBAR_MANAGEMENT_TOKEN" >"$token")
  fi
  { printf '# Made by ./foobar up from %s (edit that file; this one is rewritten by every up)\n' "$ROOT/conf/prometheus.yml"
  sed -e 's/"127\.0\.0\.1:8180"/"@lb@"/; s/"127\.0\.0\.1:8181"/"@app1@"/; s/"127\.0\.0\.1:8182"/"@app2@"/' \
    -e 's/"127\.0\.0\.1:8190"/"@monitor@"/; s/"127\.0\.0\.1:9093"/"@alertmanager@"/' \
    -e "s|\"@lb@\"|\"127.0.0.1:$LB_MGMT\"|; s|\"@app1@\"|\"127.0.0.1:$APP1_MGMT\"|; s|\"@app2@\"|\"127.0.0.1:$APP2_MGMT\"|" \
    -e "s|\"@monitor@\"|\"127.0.0.1:$MONITOR_PORT\"|; s|\"@alertmanager@\"|\"127.0.0.1:$ALERTMANAGER_PORT\"|" \
    -e "s|credentials_file: \.\./state/secrets/management\.token|credentials_file: $token|" \
    -e "s|^  - alerts\.yml\$|  - $ROOT/conf/alerts.yml|" \
    "$ROOT/conf/prometheus.yml"; } >"$dir/prometheus.yml.tmp"
  mv -f -- "$dir/prometheus.yml.tmp" "$dir/prometheus.yml"
}

monitor_command() { # name -> its command line, one word a line
  local bin dir
  bin=$(monitor_binary "$1") || die 3 "$1 is not installed"
  dir=$(monitor_dir "$1")
  if [[ $1 == prometheus ]]; then
    printf '%s\n' "$bin" "--config.file=$dir/prometheus.yml" "--storage.tsdb.path=$dir/data" \
      "--web.listen-address=127.0.0.1:$PROMETHEUS_PORT"
  else
    # No cluster port: one Alertmanager, nothing listening beyond the web port.
    printf '%s\n' "$bin" "--config.file=$(abspath "${FOOBAR_ALERTMANAGER_CONFIG:-$ROOT/conf/alertmanager.yml}")" "--storage.path=$dir/data" \
      "--web.listen-address=127.0.0.1:$ALERTMANAGER_PORT" "--cluster.listen-address="
  fi
}

# The pid when the pid file names a live process running that program on this state directory.
monitor_pid() {
  local f pid cmd
  f=$(tier_pidfile "$1")
  [[ -s $f ]] || return 1
  pid=$(tr -dc '0-9' <"$f" 2>/dev/null) || return 1
  [[ -n $pid ]] && alive "$pid" || return 1
  cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ $cmd == *"$(monitor_dir "$1")/data"* ]] || return 1
  printf '%s\n' "$pid"
}

monitor_ready_url() { printf 'http://127.0.0.1:%s/-/ready\n' "$(monitor_port "$1")"; }

start_monitor() { # name: starts it unless it runs; a running Prometheus re-reads its configuration (SIGHUP)
  local name=$1 pid cmd=() out
  if pid=$(monitor_pid "$name"); then
    if [[ $name == prometheus ]]; then kill -HUP "$pid"; fi
    log "$name: already running (pid $pid)"
    NOTE[$name]='already running'
    return 0
  fi
  remove_stale_pidfile "$name"
  port_in_use "$(monitor_port "$name")" && die 1 "$name: port $(monitor_port "$name") on 127.0.0.1 is already in" \
    "use (FOOBAR_$(tr a-z A-Z <<<"$name")_PORT picks another, FOOBAR_MONITORING=off runs without monitoring)"
  mapfile -t cmd < <(monitor_command "$name")
  mkdir -p "$LOGS" "$RUN" "$(monitor_dir "$name")/data"
  out=$(tier_log "$name")
  log "$name: starting on 127.0.0.1:$(monitor_port "$name")"
  printf '=== %s foobar: starting %s: %s\n' "$(date '+%F %T')" "$name" "${cmd[*]}" >>"$out"
  detach "$out" "${cmd[@]}"
  LAUNCHED[$name]=$DETACHED
  printf '%s\n' "$DETACHED" >"$(tier_pidfile "$name").tmp"
  mv -f -- "$(tier_pidfile "$name").tmp" "$(tier_pidfile "$name")"
  NOTE[$name]='started'
}

start_monitoring() {
  monitoring_on || return 0
  ensure_monitoring_tools
  prometheus_config
  start_monitor alertmanager
  start_monitor prometheus
}

wait_monitoring_ready() { # deadline(SECONDS)
  local name pid
  monitoring_on || return 0
  for name in "${MONITORS[@]}"; do
    until [[ $(http_code "$(monitor_ready_url "$name")") == 200 ]]; do
      pid=${LAUNCHED[$name]:-$(monitor_pid "$name" || true)}
      if [[ -z $pid ]] || ! alive "$pid"; then
        tail -n 20 -- "$(tier_log "$name")" >&2 || true
        remove_stale_pidfile "$name"
        die 1 "$name: failed to start (its output: $(tier_log "$name"))"
      fi
      ((SECONDS < $1)) || die 1 "$name: not ready after ${UP_TIMEOUT}s ($(monitor_ready_url "$name"))"
      sleep 0.25
    done
    log "$name: ready"
  done
}

stop_monitoring() { # whether or not monitoring is on: what runs is stopped
  local name
  for name in "${MONITORS[@]}"; do
    if monitoring_on || [[ -e $(tier_pidfile "$name") ]]; then stop_process "$name" monitor_pid; fi
  done
}

# Status rows; Prometheus's state says how many of its targets are up. Sets ALL_OK=1 when monitoring is on and
# a part of it is down.
monitoring_rows() {
  local name pid body up total
  for name in "${MONITORS[@]}"; do
    if ! pid=$(monitor_pid "$name"); then
      if monitoring_on; then row "$name" "127.0.0.1:$(monitor_port "$name")" - down; ALL_OK=1; else
        row "$name" - - "off (FOOBAR_MONITORING=off)"; fi
      continue
    fi
    if [[ $(http_code "$(monitor_ready_url "$name")") != 200 ]]; then
      row "$name" "127.0.0.1:$(monitor_port "$name")" "$pid" "running, not ready"
      ALL_OK=1
      continue
    fi
    if [[ $name == prometheus ]]; then
      body=$(curl -s --max-time 2 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/targets?state=active" 2>/dev/null) || body=''
      up=$(grep -o '"health":"up"' <<<"$body" | wc -l) || true # (grep finding nothing is 0 up, not a failure)
      total=$(grep -o '"health":"[a-z]*"' <<<"$body" | wc -l) || true
      row "$name" "127.0.0.1:$PROMETHEUS_PORT" "$pid" "up (targets $up/$total up)${NOTE[$name]:+ (${NOTE[$name]})}"
    else
      row "$name" "127.0.0.1:$ALERTMANAGER_PORT" "$pid" "up${NOTE[$name]:+ (${NOTE[$name]})}"
    fi
  done
}
