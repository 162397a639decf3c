#!/usr/bin/env bash
# The side-by-side read/write benchmark of docs/benchmarks.md (GoToSocial's figures there were
# measured with this same script and load):
# 3 users, user1 follows user2 and user3, 20,000 public posts through the API from 16
# connections (every 10th #ambitionfeed), then five read rows with wrk -t2 -c32 -d20s, limit=40.
# usage: SR_BIN=target/release/staffroom bench.sh [ROUNDS]   (needs wrk, curl, python3; work dir $BENCH_DIR)
set -u
command -v wrk >/dev/null || { echo "bench.sh needs wrk: apt-get install wrk"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd); . "$here/sample.sh"
: "${SR_BIN:?}" "${BENCH_DIR:=${TMPDIR:-/tmp}/staffroom-bench}" "${POSTS:=20000}"
ROUNDS=${1:-3}
rm -rf "$BENCH_DIR"; mkdir -p "$BENCH_DIR"; cd "$BENCH_DIR"
DOM=localhost:18010; BASE=http://localhost:18010
export STAFFROOM_DOMAIN=$DOM STAFFROOM_BIND=127.0.0.1:18010 STAFFROOM_DATA_DIR=$BENCH_DIR \
  DATABASE_URL="sqlite://$BENCH_DIR/staffroom.db?mode=rwc" STAFFROOM_PASSWORD_GRANT=true \
  STAFFROOM_RATE_LIMIT=0 STAFFROOM_INBOX_PER_SERVER_PER_MINUTE=0 STAFFROOM_REGISTRATIONS=open STAFFROOM_LOG=warn
start() { "$SR_BIN" serve >>"$BENCH_DIR/log" 2>&1 & PID=$!; }
ready() { for _ in $(seq 1000); do curl -fsS -o /dev/null "$BASE/api/v1/instance" 2>/dev/null && return 0; sleep 0.01; done; return 1; }
t0=$(date +%s.%N); start; ready; t1=$(date +%s.%N)
echo "cold start, empty database: $(echo "$t0 $t1" | awk '{printf "%.3f s", $2-$1}'); idle RSS $(( $(rss_kib $PID) / 1024 )) MiB"
pw='Bench-Passw0rd!2026-x'
for u in user1 user2 user3; do printf '%s\n' "$pw" | "$SR_BIN" admin create-user --username $u --email $u@bench.test --password-stdin >/dev/null || exit 1; done
app=$(curl -fsS -X POST "$BASE/api/v1/apps" -d client_name=bench -d redirect_uris=urn:ietf:wg:oauth:2.0:oob -d "scopes=read write follow")
cid=$(echo "$app" | python3 -c 'import sys,json;print(json.load(sys.stdin)["client_id"])')
csec=$(echo "$app" | python3 -c 'import sys,json;print(json.load(sys.stdin)["client_secret"])')
token() { curl -fsS -X POST "$BASE/oauth/token" -d grant_type=password -d client_id=$cid -d client_secret=$csec \
  --data-urlencode username=$1@bench.test --data-urlencode "password=$pw" -d "scope=read write follow" |
  python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])'; }
T1=$(token user1); T2=$(token user2); T3=$(token user3)
for u in user2 user3; do
  id=$(curl -fsS "$BASE/api/v1/accounts/lookup?acct=$u" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
  curl -fsS -X POST -H "Authorization: Bearer $T1" "$BASE/api/v1/accounts/$id/follow" >/dev/null || echo "follow $u failed"
done
count() { curl -fsS "$BASE/api/v1/instance" | python3 -c 'import sys,json;print(json.load(sys.stdin)["stats"]["status_count"])'; }
# wrk posts from 16 connections until POSTS are stored; the rate is stored posts over wall time
s0=$(date +%s.%N); c0=$(cpu_ticks $PID)
TOKENS="$T1,$T2,$T3" PER_THREAD=1000000 wrk -t16 -c16 -d1800s --latency -s "$here/post.lua" -H "User-Agent: wrk-bench" "$BASE" >seed.txt 2>&1 &
WRK=$!
while [ "$(count 2>/dev/null || echo 0)" -lt "$POSTS" ]; do sleep 0.5; done
s1=$(date +%s.%N); kill -INT $WRK; wait $WRK 2>/dev/null
n=$(curl -fsS "$BASE/api/v1/instance" | python3 -c 'import sys,json;print(json.load(sys.stdin)["stats"]["status_count"])')
echo "seed: $n posts stored, $(echo "$s0 $s1 $n" | awk '{printf "%.0f", $3/($2-$1)}') posts/s over the wall; wrk saw $(awk '/Requests\/sec/{print $2}' seed.txt) posts/s, p50 $(awk '$1=="50%"{print $2}' seed.txt), p99 $(awk '$1=="99%"{print $2}' seed.txt); wall $(echo "$s0 $s1" | awk '{printf "%.1f s", $2-$1}'); CPU per post $(echo "$c0 $(cpu_ticks $PID) $n $(getconf CLK_TCK)" | awk '{printf "%.1f ms", ($2-$1)/$4*1000/$3}'); $(grep -c '^status' seed.txt) non-200"
sleep 3; echo "idle RSS after seeding: $(( $(rss_kib $PID) / 1024 )) MiB"
kill $PID; wait $PID 2>/dev/null
t0=$(date +%s.%N); start; ready; t1=$(date +%s.%N)
echo "restart on the seeded database: $(echo "$t0 $t1" | awk '{printf "%.3f s", $2-$1}'); idle RSS $(( $(rss_kib $PID) / 1024 )) MiB"
W="wrk -t2 -c32 -d20s"; UA=(-H "User-Agent: wrk-bench")
printf '%-28s %9s %9s %9s %6s %10s %s\n' row req/s p50 p99 cpu peakRSS errors
for r in $(seq "$ROUNDS"); do
  wrk_row "public local, anonymous" $PID -t2 -c32 -d20s "${UA[@]}" "$BASE/api/v1/timelines/public?local=true&limit=40"
  wrk_row "public local, token" $PID -t2 -c32 -d20s "${UA[@]}" -H "Authorization: Bearer $T1" "$BASE/api/v1/timelines/public?local=true&limit=40"
  wrk_row "tag ambitionfeed, token" $PID -t2 -c32 -d20s "${UA[@]}" -H "Authorization: Bearer $T1" "$BASE/api/v1/timelines/tag/ambitionfeed?limit=40"
  wrk_row "home, user1" $PID -t2 -c32 -d20s "${UA[@]}" -H "Authorization: Bearer $T1" "$BASE/api/v1/timelines/home?limit=40"
  wrk_row "webfinger" $PID -t2 -c32 -d20s "${UA[@]}" "$BASE/.well-known/webfinger?resource=acct:user1@$DOM"
done
kill $PID; wait $PID 2>/dev/null
