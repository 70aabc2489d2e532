#!/usr/bin/env bash
# Local services without Docker: PostgreSQL and Redis from Debian's packages, an S3-compatible
# server from npm. Project-local data in .local/, loopback only, pids recorded and stopped by pid.
#
#   bash scripts/services.sh up|down|status|purge
#
# `purge` stops the services and deletes their data (this clone's PostgreSQL cluster included).
#
# Ports (the defaults in .env.example): PostgreSQL 127.0.0.1:54322 (postgres/postgres, db
# postgres), Redis 127.0.0.1:6380 (noeviction, appendonly), S3 127.0.0.1:9000 (buckets uploads, backups).
# Override with PG_PORT, REDIS_PORT, S3_PORT and LOCAL_DIR (data folder) if you must.
# As root, PostgreSQL runs as the `postgres` user; when that user cannot enter the clone (a
# private folder above it), its cluster lives in $PG_EXTERNAL_ROOT/<hash of LOCAL_DIR> instead
# (see pg_locate).
set -euo pipefail

# shellcheck source=scripts/lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
# shellcheck source=scripts/lib/packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/packages.sh"

LOCAL_DIR="${LOCAL_DIR:-$REPO_ROOT/.local}"
PG_PORT="${PG_PORT:-54322}"
REDIS_PORT="${REDIS_PORT:-6380}"
S3_PORT="${S3_PORT:-9000}"
RUN_DIR="$LOCAL_DIR/run"
LOG_DIR="$LOCAL_DIR/log"
PG_DATA="$LOCAL_DIR/postgres"
REDIS_DIR="$LOCAL_DIR/redis"
S3_DIR="$LOCAL_DIR/s3"
# Where this clone's PostgreSQL cluster lives when it cannot live in .local/ (see pg_locate).
PG_LOCATION_FILE="$LOCAL_DIR/postgres.location"
PG_EXTERNAL_ROOT="${PG_EXTERNAL_ROOT:-/var/lib/postgresql/saas-local-clusters}"

log() { printf '[services] %s\n' "$*" >&2; }

pid_alive() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 1
  pid="$(head -n1 "$pidfile" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

port_open() {
  # bash's /dev/tcp: no extra package needed to ask whether something listens.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() {
  local name="$1" port="$2" tries="${3:-100}"
  for _ in $(seq "$tries"); do
    port_open "$port" && return 0
    sleep 0.1
  done
  log "$name did not open 127.0.0.1:$port; see $LOG_DIR/$name.log"
  tail -n 20 "$LOG_DIR/$name.log" >&2 || true
  return 1
}

# Something else answers on the port (another clone's services, a system PostgreSQL): use it
# rather than fail on "address already in use"; `down` leaves it alone (not our pid).
foreign_port() {
  local name="$1" pidfile="$2" port="$3"
  if ! pid_alive "$pidfile" && port_open "$port"; then
    log "$name: 127.0.0.1:$port already answers (not started from $LOCAL_DIR); using it"
    return 0
  fi
  return 1
}

stop_pid() {
  local name="$1" pidfile="$2" pid
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  pid="$(head -n1 "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "$name: stopped (pid $pid)"
}

# --- PostgreSQL ----------------------------------------------------------------------------
pg_bin() {
  local dir
  for dir in "${POSTGRES_LIB_DIR:-/usr/lib/postgresql}"/*/bin; do
    [ -x "$dir/postgres" ] && { printf '%s' "$dir"; return 0; }
  done
  return 1
}

# PostgreSQL refuses to run as root: as root we run it as the `postgres` system user.
# runuser lives in /usr/sbin (util-linux), which a minimal PATH (CI, cron, env -i) leaves out.
runuser_bin() {
  command -v runuser || { [ -x /usr/sbin/runuser ] && echo /usr/sbin/runuser; } ||
    { [ -x /sbin/runuser ] && echo /sbin/runuser; } || echo runuser
}

# From /: the caller's folder may be one postgres cannot enter (pg_ctl would warn about it).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && "$(runuser_bin)" -u postgres -- "$@"); else "$@"; fi
}

# Where the cluster (PG_DATA), its socket (PG_RUN) and its log (PG_LOG) live. Normally in
# .local/. But as root PostgreSQL runs as `postgres`, which must be able to enter every folder
# above its data dir: a clone under /root, a Debian 12 home (0700) or `mktemp -d` is out of its
# reach, and chmod-ing the user's folders open is not ours to do. Then the cluster lives in a
# postgres-owned folder outside the clone, one per clone (keyed by a hash of LOCAL_DIR), and
# .local/postgres.location records it so `down`, `status` and `purge` find it again.
pg_locate() {
  local dir=""
  if [ -f "$PG_LOCATION_FILE" ]; then
    dir="$(head -n1 "$PG_LOCATION_FILE")"
  elif [ ! -f "$LOCAL_DIR/postgres/PG_VERSION" ] && [ "$(id -u)" -eq 0 ] &&
    ! "$(runuser_bin)" -u postgres -- test -x "$LOCAL_DIR" 2>/dev/null; then
    local key
    key="$(printf '%s' "$LOCAL_DIR" | sha256sum | cut -c1-16)"
    dir="$PG_EXTERNAL_ROOT/$key"
  fi
  if [ -n "$dir" ]; then
    PG_HOME="$dir"
    PG_DATA="$dir/data"
    PG_RUN="$dir/run"
    PG_LOG="$dir/postgres.log"
  else
    PG_HOME=""
    PG_DATA="$LOCAL_DIR/postgres"
    PG_RUN="$RUN_DIR"
    PG_LOG="$LOG_DIR/postgres.log"
  fi
}

pg_prepare_external() {
  [ -n "$PG_HOME" ] || return 0
  log "postgres: the postgres user cannot enter $LOCAL_DIR (a folder above it is private);"
  log "postgres: keeping this clone's cluster in $PG_HOME (recorded in $PG_LOCATION_FILE)"
  mkdir -p "$PG_HOME/run"
  # Only postgres needs to enter it; root reads the log through the symlink in .local/log.
  chown -R postgres:postgres "$PG_HOME"
  chmod 0700 "$PG_HOME"
  printf '%s\n' "$PG_HOME" >"$PG_LOCATION_FILE"
  printf '%s\n' "$LOCAL_DIR" >"$PG_HOME/clone" && chown postgres:postgres "$PG_HOME/clone"
  ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
}

pg_up() {
  local bin
  bin="$(pg_bin)" || { ensure_packages postgresql && bin="$(pg_bin)"; } || return 1
  if pid_alive "$RUN_DIR/postgres.pid" && port_open "$PG_PORT"; then
    log "postgres: already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  foreign_port postgres "$RUN_DIR/postgres.pid" "$PG_PORT" && return 0
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    pg_prepare_external
    log "postgres: initialising $PG_DATA"
    mkdir -p "$PG_DATA"
    local pwfile="${PG_HOME:-$LOCAL_DIR}/pgpass.tmp"
    printf 'postgres\n' >"$pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$PG_DATA" "$pwfile"; fi
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$LOG_DIR/postgres-initdb.log" 2>&1 || {
      rm -f "$pwfile"
      log "postgres: initdb failed; see $LOG_DIR/postgres-initdb.log"
      tail -n 5 "$LOG_DIR/postgres-initdb.log" >&2 || true
      return 1
    }
    rm -f "$pwfile"
  fi
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$LOG_DIR" "$RUN_DIR"; fi
  # Socket in the project's run dir (not /var/run/postgresql, which may not exist); TCP on
  # loopback only. fsync stays on: tests of restarts and restores need real durability.
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_RUN -c max_connections=200" \
    start >/dev/null || {
    log "postgres: failed to start; see $PG_LOG"
    tail -n 20 "$PG_LOG" >&2 || true
    return 1
  }
  head -n1 "$PG_DATA/postmaster.pid" >"$RUN_DIR/postgres.pid"
  wait_port postgres "$PG_PORT"
  log "postgres: running on 127.0.0.1:$PG_PORT (pid $(cat "$RUN_DIR/postgres.pid")), data in $PG_DATA"
}

pg_down() {
  local bin
  if bin="$(pg_bin)" && [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  stop_pid postgres "$RUN_DIR/postgres.pid"
}

# --- Redis ---------------------------------------------------------------------------------
redis_up() {
  command -v redis-server >/dev/null || ensure_packages redis-server || return 1
  if pid_alive "$RUN_DIR/redis.pid" && port_open "$REDIS_PORT"; then
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  foreign_port redis "$RUN_DIR/redis.pid" "$REDIS_PORT" && return 0
  mkdir -p "$REDIS_DIR"
  # noeviction: BullMQ must never lose keys to eviction. appendonly: jobs survive a restart.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
    --dir "$REDIS_DIR" --appendonly yes --appendfsync everysec \
    --maxmemory-policy noeviction --save "" \
    --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log"
  for _ in $(seq 50); do [ -s "$RUN_DIR/redis.pid" ] && break; sleep 0.1; done
  wait_port redis "$REDIS_PORT"
  log "redis: running on 127.0.0.1:$REDIS_PORT (pid $(cat "$RUN_DIR/redis.pid"))"
}

redis_down() { stop_pid redis "$RUN_DIR/redis.pid"; }

# --- S3 (s3rver from npm) ------------------------------------------------------------------
s3_up() {
  if pid_alive "$RUN_DIR/s3.pid" && port_open "$S3_PORT"; then
    log "s3: already running on 127.0.0.1:$S3_PORT"
    return 0
  fi
  foreign_port s3 "$RUN_DIR/s3.pid" "$S3_PORT" && return 0
  ensure_deps
  mkdir -p "$S3_DIR"
  S3_PORT="$S3_PORT" S3_DATA_DIR="$S3_DIR" nohup node "$REPO_ROOT/scripts/local-s3/server.ts" \
    >"$LOG_DIR/s3.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/s3.pid"
  wait_port s3 "$S3_PORT"
  log "s3: running on 127.0.0.1:$S3_PORT (pid $(cat "$RUN_DIR/s3.pid")), buckets 'uploads', 'backups'"
}

s3_down() { stop_pid s3 "$RUN_DIR/s3.pid"; }

status_line() {
  local name="$1" pidfile="$2" port="$3"
  if pid_alive "$pidfile" && port_open "$port"; then
    printf '%-9s up    127.0.0.1:%-6s pid %s\n' "$name" "$port" "$(head -n1 "$pidfile")"
  elif port_open "$port"; then
    printf '%-9s up    127.0.0.1:%-6s not started from this clone\n' "$name" "$port"
  else
    printf '%-9s down  127.0.0.1:%s\n' "$name" "$port"
    return 1
  fi
}

purge() {
  s3_down
  redis_down
  pg_down
  if [ -n "$PG_HOME" ]; then
    rm -rf "$PG_HOME"
    log "postgres: removed $PG_HOME"
  fi
  rm -rf "$LOCAL_DIR"
  log "removed $LOCAL_DIR"
}

main() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  # Absolute: the cluster's location is keyed by this path, and pg_ctl runs from /.
  LOCAL_DIR="$(cd "$LOCAL_DIR" && pwd)"
  RUN_DIR="$LOCAL_DIR/run"
  LOG_DIR="$LOCAL_DIR/log"
  REDIS_DIR="$LOCAL_DIR/redis"
  S3_DIR="$LOCAL_DIR/s3"
  PG_LOCATION_FILE="$LOCAL_DIR/postgres.location"
  pg_locate
  case "${1:-}" in
    up)
      ensure_node
      pg_up
      redis_up
      s3_up
      ;;
    down)
      s3_down
      redis_down
      pg_down
      ;;
    status)
      local rc=0
      status_line postgres "$RUN_DIR/postgres.pid" "$PG_PORT" || rc=1
      status_line redis "$RUN_DIR/redis.pid" "$REDIS_PORT" || rc=1
      status_line s3 "$RUN_DIR/s3.pid" "$S3_PORT" || rc=1
      return "$rc"
      ;;
    purge) purge ;;
    *)
      echo "usage: scripts/services.sh up|down|status|purge" >&2
      return 2
      ;;
  esac
}

main "$@"
