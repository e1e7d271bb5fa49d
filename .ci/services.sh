#!/usr/bin/env bash
# Make sure the real servers the tests talk to are up: PostgreSQL, MariaDB, Mosquitto.
# Installs them from Debian's packages where absent, starts them where stopped.
set -euo pipefail

need_apt=()
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

wait_for() {  # name, command
  for _ in $(seq 1 30); do
    if eval "$2" >/dev/null 2>&1; then echo "$1: up"; return 0; fi
    sleep 1
  done
  echo "$1: did not come up" >&2; return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
wait_for postgresql "pg_isready -h 127.0.0.1 -p 5432"
# Trust auth for the local root role is how these machines come; make sure the role exists.
psql -h 127.0.0.1 -U root -d postgres -tAc "SELECT 1" >/dev/null 2>&1 || \
  su postgres -c "psql -tAc \"CREATE ROLE root SUPERUSER LOGIN\"" || true

if ! mysqladmin -uroot -h127.0.0.1 status >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
wait_for mariadb "mysqladmin -uroot -h127.0.0.1 status"

if ! pgrep -x mosquitto >/dev/null 2>&1; then
  mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi
wait_for mosquitto "pgrep -x mosquitto"
