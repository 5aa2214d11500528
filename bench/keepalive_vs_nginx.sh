#!/usr/bin/env bash
# Keep-alive poll throughput of the graphfake binary side by side with nginx
# serving the same response body as a static file, measured by wrk in one
# run on 127.0.0.1. Prints both figures and their ratio; asserts nothing.
# Usage: bench/keepalive_vs_nginx.sh [GRAPHFAKE_BINARY] [CONNECTIONS] [SECONDS]
# Installs wrk and nginx-light from Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/bin/graphfake}"
connections="${2:-32}"
seconds="${3:-10}"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nginx_binary=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
fake_pid=""
nginx_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# An operation that stays running on a virtual clock: every poll gets the
# same "running" body with its Retry-After, as a poll loop does in real life.
cat > "$work/running.json" <<'EOF'
{"rules": [{"name": "running", "timeline": [
  {"status": "running", "after": "1000h", "retryAfter": "5s"}, {"status": "succeeded", "rows": 10}]}]}
EOF
"$binary" --clock virtual --scenario "$work/running.json" --token bench-token --port-file "$work/port" >/dev/null 2>&1 &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$work/port")"
auth="Authorization: Bearer bench-token"
location=$(curl -s -o /dev/null -w '%header{location}' -X POST -H "$auth" -H "Content-Type: application/json" \
  -d '{"invoiceId":"G016907411","attributeSet":"full"}' "$base/v1.0/reports/partners/billing/reconciliation/billed/export")
mkdir -p "$work/www"
curl -s -H "$auth" "$location" > "$work/www/poll.json"

nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; root $work/www; try_files /poll.json =404; }
  }
}
EOF
"$nginx_binary" -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
sleep 0.5

rate() {  # wrk's Requests/sec for a URL
  wrk -t2 -c"$connections" -d"${seconds}s" -H "$auth" "$1" | awk '/Requests\/sec/ {print $2}'
}
echo "keep-alive polls, wrk -t2 -c$connections -d${seconds}s, $(wc -c < "$work/www/poll.json") byte body:"
fake_rate=$(rate "$location")
nginx_rate=$(rate "http://127.0.0.1:$nginx_port/poll.json")
printf '  graphfake  %10.0f req/s\n  nginx      %10.0f req/s (1 worker, the same body as a static file)\n  ratio      %10.2f\n' \
  "$fake_rate" "$nginx_rate" "$(awk -v a="$fake_rate" -v b="$nginx_rate" 'BEGIN { print a / b }')"
