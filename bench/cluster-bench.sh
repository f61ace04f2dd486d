#!/usr/bin/env bash
# The cluster benchmark (issue 12): a PostgreSQL server and `cadre serve` hosts on this machine, the support-desk
# sample with an instant scripted model (no model latency, so the figures are Cadre's and Orleans' own cost), then
#   - runs/s and steps/s with RUNS runs submitted at once, on 1, 2 and 3 hosts;
#   - the latency per step through the cluster against the same runs in one process (ratio);
#   - KILL_RUNS runs in flight on 3 hosts, one host killed with SIGKILL at a random moment: runs completed, executions
#     per side effect from the audit log, time from the kill to each taken-over run's first step (p95).
# All hosts share this machine's cores: more hosts do not add CPU here; see docs/BENCHMARKS.md.
#
#   bench/cluster-bench.sh [runs=60] [kill_runs=100]      (HOSTS="1 3" picks the throughput runs; HOSTS= skips them)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-60}" KILL_RUNS="${2:-100}" LEASE=3
dotnet build src/Cadre.Cli -v q -clp:ErrorsOnly
cadre() { dotnet "$PWD/src/Cadre.Cli/bin/Debug/net10.0/Cadre.Cli.dll" "$@"; }
work=$(mktemp -d /tmp/cadre-cluster-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${pg:-}" ] && $as_pg "$pg/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL on 127.0.0.1, as the tests start it (as the postgres user when root).
pg=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
as_pg=""; [ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/pg" "$work/pglog"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" "$work/pglog"
$as_pg "$pg/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
$as_pg "$pg/pg_ctl" -D "$work/pg" -l "$work/pglog/pg.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c max_connections=600" start >/dev/null
psql_cmd() { $as_pg psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "$1"; }

# The sample as the hosts serve it: tools and approvals by absolute path, no memory writes; the model behaviour its
# cassette was recorded from, replies taken per agent, without the email (send_email is limited to 5 a minute per agent
# across the cluster, which 100 runs would hit; create_ticket is the side effect counted).
mkdir -p "$work/specs/desk"
sed -e "s#project: tools/SupportDesk.csproj#project: $PWD/samples/support-desk/tools/SupportDesk.csproj#" \
    -e "s#approvals: approvals.yaml#approvals: $PWD/samples/support-desk/approvals.yaml#" \
    -e "s#replay:support.cassette.json#replay:$PWD/samples/support-desk/support.cassette.json#" \
    -e "/  write: model/d" samples/support-desk/cadre.yaml > "$work/specs/desk/cadre.yaml"
cat > "$work/script.json" <<JSON
{ "order": "per-agent", "replies": [
  { "agent": "triage", "toolCalls": [ { "name": "search_customer", "arguments": { "query": "john@example.com" } } ] },
  { "agent": "triage", "toolCalls": [ { "name": "handoff", "arguments": { "to": "billing", "note": "John Carter (C-1001, john@example.com) was charged twice for INV-1001." } } ] },
  { "agent": "billing", "toolCalls": [ { "name": "lookup_invoice", "arguments": { "invoiceId": "INV-1001" } } ] },
  { "agent": "billing", "toolCalls": [ { "name": "create_ticket", "arguments": { "customerId": "C-1001", "subject": "Refund duplicate charge on INV-1001", "description": "Refund CH-5002.", "priority": "high" } } ] },
  { "agent": "billing", "text": "Opened a ticket to refund the duplicate charge on INV-1001." } ] }
JSON
model="scripted:$work/script.json"

serve() { # name db silo-port gateway-port
  mkdir -p "$work/host-$1"
  (cd "$work/host-$1" && exec dotnet "$OLDPWD/src/Cadre.Cli/bin/Debug/net10.0/Cadre.Cli.dll" serve --workspace "$2" --specs "$work/specs" \
     --silo-port "$3" --gateway-port "$4" --name "$1" --lease "$LEASE" >"$work/host-$1.out" 2>"$work/host-$1.err") &
  pids+=($!)
  for _ in $(seq 1 600); do grep -q '^ready' "$work/host-$1.out" 2>/dev/null && return 0; sleep 0.2; done
  cat "$work/host-$1.err"; echo "host $1 did not start" >&2; exit 1
}
stop_hosts() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }

for hosts in ${HOSTS-1 2 3}; do
  db="bench_$hosts"; psql_cmd "CREATE DATABASE $db;"
  url="postgres://postgres@127.0.0.1:$port/$db"
  for h in $(seq 1 "$hosts"); do serve "h$hosts-$h" "$url" $((port + 10 * h + 1)) $((port + 10 * h + 2)); done
  echo "== $hosts host(s), $RUNS runs at once"
  cadre bench cluster --cluster "$url" --specs "$work/specs" --spec desk --model "$model" --runs "$RUNS" --latency-runs 5 --side-effects create_ticket
  stop_hosts
done

db=bench_kill; psql_cmd "CREATE DATABASE $db;"
url="postgres://postgres@127.0.0.1:$port/$db"
for h in 1 2 3; do serve "k-$h" "$url" $((port + 100 + 10 * h + 1)) $((port + 100 + 10 * h + 2)); done
victim=${pids[$((RANDOM % 3))]}
after=$(( RANDOM % 2000 ))
# Here the model answers after 300 ms, so runs stay in flight for seconds once recorded.
echo "== 3 hosts, $KILL_RUNS runs at once, one host (pid $victim) killed $after ms after half the runs were recorded"
cadre bench cluster --cluster "$url" --specs "$work/specs" --spec desk --model "$model?delay=300" --runs "$KILL_RUNS" --latency-runs 0 \
  --kill "$victim" --kill-after "$after" --side-effects create_ticket
stop_hosts
