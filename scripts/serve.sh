#!/usr/bin/env bash
# `make serve`: the portal on gunicorn and the notice worker beside it (README "Production").
# Both stop on SIGTERM or SIGINT; if either one dies, the other is stopped and this script
# exits with the status of the one that died, so the service manager restarts the pair.
set -uo pipefail
BIN="${BIN:-.venv/bin}"

"$BIN/gunicorn" --config gunicorn.conf.py 'portal:create_app()' &
web=$!
# The worker runs at a lower CPU priority: a notice can wait a moment, an officer's click
# should not (bench/README.md, "Notices").
nice -n 10 "$BIN/flask" --app portal deliver-notices &
worker=$!

stop() {
  kill -TERM "$web" "$worker" 2>/dev/null
  wait "$web" "$worker" 2>/dev/null
}
trap 'stop; exit 0' TERM INT

# Whichever ends first ends both.
wait -n "$web" "$worker"
status=$?
stop
exit "$status"
