#!/usr/bin/env bash
#
# servers.sh - starts and stops the real PostgreSQL 15 and MariaDB servers the
# tests run against, each in a throwaway folder, listening only on 127.0.0.1.
#
#   tests/support/servers.sh start [pg|mysql|all]   start (or reuse) the servers
#   tests/support/servers.sh env                    print the export lines
#   tests/support/servers.sh stop  [pg|mysql|all]   stop them and remove their folders
#   tests/support/servers.sh status                 say what runs where
#
# Typical use (README, CI):
#   tests/support/servers.sh start
#   eval "$(tests/support/servers.sh env)"
#   ./build/borch-tests
#   tests/support/servers.sh stop
#
# Settings (environment):
#   BORCH_SERVERS_DIR      state folder (default ${TMPDIR:-/tmp}/borch-servers-$UID)
#   BORCH_PG_PORT          first port tried for PostgreSQL (default 55432)
#   BORCH_MYSQL_PORT       first port tried for MariaDB (default 53306)
#   BORCH_SERVERS_TIMEOUT  seconds to wait for a server to answer (default 60)
#   BORCH_PG_BINDIR        PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
#
# When run as root (CI), PostgreSQL runs as the `postgres` user (initdb
# refuses root) and MariaDB as the `mysql` user; their data folders are owned
# by those users. PostgreSQL preloads pg_stat_statements (created in template1
# and the test database) and MariaDB runs with performance_schema on, for
# advise-indexes --from-stats and index usage. Both servers get a role `borch` with the password below,
# allowed to create databases, and a database `borch_test`. The env file
# ($BORCH_SERVERS_DIR/env) exports BORCH_TEST_PG_URL and BORCH_TEST_MYSQL_URL.
#
# Starting twice reuses servers that still answer; a pid file whose process is
# gone is treated as stale and its folder is made anew; a port in use moves
# the server to the next free port.

set -euo pipefail

PASSWORD="borch-test-pw"
USER_NAME="borch"
DB_NAME="borch_test"
DIR="${BORCH_SERVERS_DIR:-${TMPDIR:-/tmp}/borch-servers-$(id -u)}"
PG_PORT0="${BORCH_PG_PORT:-55432}"
MY_PORT0="${BORCH_MYSQL_PORT:-53306}"
TIMEOUT="${BORCH_SERVERS_TIMEOUT:-60}"
PG_BIN="${BORCH_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
PG_DIR="$DIR/pg"
PG_LIBDIR="$("$PG_BIN/pg_config" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)"
MY_DIR="$DIR/mysql"

log() { printf 'servers.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the given service user when we are root, else as ourselves.
as_user() {
    local user="$1"; shift
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$user" -- "$@"
        else
            su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# True when nothing accepts connections on 127.0.0.1:$1.
port_free() {
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
            return 1
        fi
    fi
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Prints the first free port at or after $1.
free_port() {
    local port="$1" tries=0
    while ! port_free "$port"; do
        port=$((port + 1))
        tries=$((tries + 1))
        [ "$tries" -lt 200 ] || die "no free port from $1 to $port"
    done
    printf '%s\n' "$port"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Makes the state folder; service users must be able to walk into it.
make_dir() {
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    if is_root; then
        local u
        for u in postgres mysql; do
            id "$u" >/dev/null 2>&1 || continue
            as_user "$u" test -x "$DIR" ||
                die "user '$u' cannot enter $DIR (a parent folder is private); set BORCH_SERVERS_DIR, e.g. /tmp/borch-servers"
        done
    fi
}

# ---- PostgreSQL ----------------------------------------------------------

pg_user() { if is_root; then echo postgres; else id -un; fi; }

pg_ready() {
    [ -f "$PG_DIR/port" ] || return 1
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$PG_DIR/port")" -t 2 >/dev/null 2>&1
}

pg_running() {
    local pid=""
    [ -f "$PG_DIR/data/postmaster.pid" ] && pid="$(head -n1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
    pid_alive "$pid"
}

# Runs SQL as the superuser over the private Unix socket.
pg_psql() {
    local db="$1"; shift
    as_user "$(pg_user)" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" \
        -p "$(cat "$PG_DIR/port")" -U postgres -d "$db" "$@"
}

pg_stop() {
    if pg_running; then
        as_user "$(pg_user)" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t "$TIMEOUT" stop \
            >/dev/null 2>&1 || true
    fi
    if pg_running; then
        local pid
        pid="$(head -n1 "$PG_DIR/data/postmaster.pid")"
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
    fi
    rm -rf "$PG_DIR"
}

pg_start() {
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 not found in $PG_BIN (apt-get install postgresql-15)"
    if pg_running && pg_ready; then
        log "postgresql already running on port $(cat "$PG_DIR/port")"
        return 0
    fi
    pg_stop # stale pid file, half-made folder: start over
    make_dir
    local user
    user="$(pg_user)"
    mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
    is_root && chown -R "$user": "$PG_DIR"
    chmod 700 "$PG_DIR/data" "$PG_DIR/sock"
    as_user "$user" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
        { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }

    # pg_stat_statements (advise-indexes --from-stats) must be preloaded;
    # it ships with the server (contrib), so only a stripped install lacks it.
    local PG_PRELOAD=""
    if [ -f "$PG_LIBDIR/pg_stat_statements.so" ]; then
        PG_PRELOAD="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
    fi
    local port="$PG_PORT0" attempt
    for attempt in 1 2 3 4 5; do
        port="$(free_port "$port")"
        if as_user "$user" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
            -t "$TIMEOUT" -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 $PG_PRELOAD" \
            start >/dev/null 2>&1; then
            echo "$port" >"$PG_DIR/port"
            break
        fi
        log "postgresql did not start on port $port (attempt $attempt), trying another"
        port=$((port + 1))
        if [ "$attempt" -eq 5 ]; then
            tail -n 20 "$PG_DIR/server.log" >&2 || true
            die "postgresql did not start"
        fi
    done

    local waited=0
    until pg_ready; do
        sleep 1
        waited=$((waited + 1))
        [ "$waited" -lt "$TIMEOUT" ] || die "postgresql did not answer within ${TIMEOUT}s"
    done

    # hypopg and pg_stat_statements are not trusted extensions: install
    # them as the superuser in template1 (so throwaway databases get them)
    # and in the test database. Extension members are left out of
    # introspection, so they add nothing to the schema model.
    pg_psql postgres <<SQL
CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD';
-- A role that may not create databases: tests of an unusable scratch server.
CREATE ROLE ${USER_NAME}_nocreate LOGIN NOCREATEDB PASSWORD '$PASSWORD';
CREATE DATABASE $DB_NAME OWNER $USER_NAME;
SQL
    local ext=""
    if [ -f "$("$PG_BIN/pg_config" --sharedir)/extension/hypopg.control" ]; then
        ext="CREATE EXTENSION IF NOT EXISTS hypopg;"
        pg_psql template1 -c "$ext"
        pg_psql "$DB_NAME" -c "$ext"
    fi
    if [ -n "$PG_PRELOAD" ]; then
        ext="CREATE EXTENSION IF NOT EXISTS pg_stat_statements;"
        pg_psql template1 -c "$ext"
        pg_psql "$DB_NAME" -c "$ext"
    fi
    pg_psql "$DB_NAME" -c "GRANT ALL ON SCHEMA public TO $USER_NAME"
    log "postgresql 15 running on 127.0.0.1:$(cat "$PG_DIR/port")"
}

# ---- MariaDB -------------------------------------------------------------

my_user() { if is_root; then echo mysql; else id -un; fi; }

my_admin() {
    mariadb-admin --no-defaults --socket="$MY_DIR/mysqld.sock" -uroot --connect-timeout=2 "$@"
}

my_ready() {
    [ -S "$MY_DIR/mysqld.sock" ] || return 1
    my_admin ping >/dev/null 2>&1
}

my_running() {
    local pid=""
    [ -f "$MY_DIR/mysqld.pid" ] && pid="$(cat "$MY_DIR/mysqld.pid" 2>/dev/null || true)"
    pid_alive "$pid"
}

my_stop() {
    if my_running; then
        local pid waited=0
        pid="$(cat "$MY_DIR/mysqld.pid")"
        my_admin shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        while pid_alive "$pid" && [ "$waited" -lt "$TIMEOUT" ]; do
            sleep 1
            waited=$((waited + 1))
        done
        pid_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$MY_DIR"
}

my_start() {
    command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
        die "mariadbd not found (apt-get install mariadb-server)"
    local mariadbd
    mariadbd="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
    if my_running && my_ready; then
        log "mariadb already running on port $(cat "$MY_DIR/port")"
        return 0
    fi
    my_stop
    make_dir
    local user
    user="$(my_user)"
    mkdir -p "$MY_DIR/data" "$MY_DIR/tmp"
    is_root && chown -R "$user": "$MY_DIR"
    chmod 700 "$MY_DIR/data"
    # The user switch is mariadbd's own (--user), which needs root.
    local userarg=()
    is_root && userarg=(--user="$user")
    mariadb-install-db --no-defaults --datadir="$MY_DIR/data" "${userarg[@]}" \
        --auth-root-authentication-method=normal --skip-test-db >"$MY_DIR/install.log" 2>&1 ||
        { cat "$MY_DIR/install.log" >&2; die "mariadb-install-db failed"; }

    local port="$MY_PORT0" attempt pid started
    for attempt in 1 2 3 4 5; do
        port="$(free_port "$port")"
        setsid "$mariadbd" --no-defaults --datadir="$MY_DIR/data" --socket="$MY_DIR/mysqld.sock" \
            --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$MY_DIR/mysqld.pid" \
            --log-error="$MY_DIR/server.log" --tmpdir="$MY_DIR/tmp" "${userarg[@]}" \
            --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=0 \
            --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
            --max-connections=100 --performance-schema=ON </dev/null >/dev/null 2>&1 &
        pid=$!
        started=0
        local waited=0
        while [ "$waited" -lt "$((TIMEOUT * 2))" ]; do
            if my_ready; then
                started=1
                break
            fi
            pid_alive "$pid" || break
            sleep 0.5
            waited=$((waited + 1))
        done
        if [ "$started" -eq 1 ]; then
            echo "$port" >"$MY_DIR/port"
            [ -f "$MY_DIR/mysqld.pid" ] || echo "$pid" >"$MY_DIR/mysqld.pid"
            break
        fi
        kill "$pid" 2>/dev/null || true
        if pid_alive "$pid"; then
            tail -n 20 "$MY_DIR/server.log" >&2 || true
            die "mariadb did not answer within ${TIMEOUT}s"
        fi
        log "mariadb did not start on port $port (attempt $attempt), trying another"
        port=$((port + 1))
        if [ "$attempt" -eq 5 ]; then
            tail -n 20 "$MY_DIR/server.log" >&2 || true
            die "mariadb did not start"
        fi
    done

    mariadb --no-defaults --socket="$MY_DIR/mysqld.sock" -uroot <<SQL
CREATE USER '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
CREATE USER '$USER_NAME'@'localhost' IDENTIFIED BY '$PASSWORD';
CREATE USER '$USER_NAME'@'%' IDENTIFIED BY '$PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'%' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS $DB_NAME;
FLUSH PRIVILEGES;
SQL
    log "mariadb running on 127.0.0.1:$(cat "$MY_DIR/port")"
}

# ---- env file ------------------------------------------------------------

write_env() {
    make_dir
    local tmp="$DIR/env.tmp"
    {
        echo "# written by tests/support/servers.sh; source it or eval \"\$(servers.sh env)\""
        if [ -f "$PG_DIR/port" ]; then
            echo "export BORCH_TEST_PG_URL='postgres://$USER_NAME:$PASSWORD@127.0.0.1:$(cat "$PG_DIR/port")/$DB_NAME?sslmode=disable'"
        fi
        if [ -f "$MY_DIR/port" ]; then
            echo "export BORCH_TEST_MYSQL_URL='mysql://$USER_NAME:$PASSWORD@127.0.0.1:$(cat "$MY_DIR/port")/$DB_NAME'"
        fi
    } >"$tmp"
    mv "$tmp" "$DIR/env"
}

which_ones() {
    case "${1:-all}" in
    pg | postgres | postgresql) echo pg ;;
    mysql | mariadb) echo mysql ;;
    all) echo pg mysql ;;
    *) die "unknown server '$1' (pg, mysql or all)" ;;
    esac
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
start)
    for s in $(which_ones "${1:-all}"); do
        case "$s" in
        pg) pg_start ;;
        mysql) my_start ;;
        esac
    done
    write_env
    log "env file: $DIR/env"
    ;;
stop)
    for s in $(which_ones "${1:-all}"); do
        case "$s" in
        pg) pg_stop ;;
        mysql) my_stop ;;
        esac
    done
    if [ -d "$DIR" ]; then
        write_env
        if [ ! -e "$PG_DIR" ] && [ ! -e "$MY_DIR" ]; then
            rm -rf "$DIR"
        fi
    fi
    ;;
env)
    [ -f "$DIR/env" ] || die "no servers started (run: $0 start)"
    cat "$DIR/env"
    ;;
status)
    if pg_running && pg_ready; then echo "postgresql: 127.0.0.1:$(cat "$PG_DIR/port")"; else echo "postgresql: stopped"; fi
    if my_running && my_ready; then echo "mariadb: 127.0.0.1:$(cat "$MY_DIR/port")"; else echo "mariadb: stopped"; fi
    ;;
*)
    echo "usage: $0 start|stop [pg|mysql|all] | env | status" >&2
    exit 2
    ;;
esac
