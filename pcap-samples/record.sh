#!/usr/bin/env bash
# Records the captures of pcap-samples/ (see README.md there): Linux kernel clients and servers
# in two network namespaces joined by a veth pair, and the same situations with tcpsim as one side
# (tcpsim serve in a namespace of its own), each captured by tcpdump inside its namespace.
# Needs root, iproute2, tcpdump, nftables, editcap (wireshark-common), /usr/bin/python3 and a
# JDK 25 (../tcpsim finds it and builds the jar). Every namespace it creates is named
# tcpsim-smp-<pid>-* and removed on exit, also on failure or Ctrl-C. Takes about 3 minutes
# (the connect timeouts wait for Linux's full SYN retry series, 127 s).
#   ./record.sh            record everything into this directory
#   ./record.sh OUTDIR     record into OUTDIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUT="${1:-$HERE}"
PY=/usr/bin/python3
PEER="$HERE/peer.py"
TCPSIM="$ROOT/tcpsim"
PREFIX="tcpsim-smp-$$"
NS_C="$PREFIX-c"              # the Linux client
NS_S="$PREFIX-s"              # the Linux server
C_ADDR=10.77.0.1
S_ADDR=10.77.0.2
TIMEOUT_PORT=4009             # dropped by nftables: connect timeouts
BG=()                         # background jobs to stop on exit
SERVES=()                     # tcpsim serve jobs to stop on exit

say() { printf 'record.sh: %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  for pid in "${BG[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVES[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVES[@]}"; do timeout 20 tail --pid="$pid" -f /dev/null 2>/dev/null || true; done
  for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-" || true); do
    ip netns del "$ns" 2>/dev/null || true
  done
  exit "$status"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" -eq 0 ] || { say "needs root (network namespaces)"; exit 1; }
mkdir -p "$OUT"

in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

kernel_pair() {
  ip netns add "$NS_C"
  ip netns add "$NS_S"
  ip link add vc netns "$NS_C" type veth peer name vs netns "$NS_S"
  for ns in "$NS_C" "$NS_S"; do
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
  done
  ip -n "$NS_C" addr add "$C_ADDR/24" dev vc
  ip -n "$NS_S" addr add "$S_ADDR/24" dev vs
  # No GSO: each segment is captured as it goes on the wire, not as one large pre-segmentation packet.
  ip -n "$NS_C" link set vc gso_max_segs 1 up
  ip -n "$NS_S" link set vs gso_max_segs 1 up
  # Real checksums in the captures (veth offloads them otherwise).
  in_ns "$NS_C" "$PY" "$PEER" no-tx-checksum vc
  in_ns "$NS_S" "$PY" "$PEER" no-tx-checksum vs
  # The connect-timeout scenarios: SYNs to this port vanish.
  in_ns "$NS_S" nft add table inet samples
  in_ns "$NS_S" nft add chain inet samples in '{ type filter hook input priority 0; }'
  in_ns "$NS_S" nft add rule inet samples in tcp dport "$TIMEOUT_PORT" drop
}

set_mtu() {
  ip -n "$NS_C" link set vc mtu "$1"
  ip -n "$NS_S" link set vs mtu "$1"
}

# capture NS IFACE FILE FILTER [tcpdump options...]: starts tcpdump and sets CAP to its pid once
# it listens (timeout ends it after 300 s whatever happens).
capture() {
  local ns="$1" iface="$2" file="$3" filter="$4"; shift 4
  local log; log="$(mktemp)"
  # Not through in_ns: a function run in the background is a subshell, and $! would be its pid.
  ip netns exec "$ns" timeout 300 tcpdump -U --immediate-mode -B 8192 -n -i "$iface" "$@" -w "$file" "$filter" >/dev/null 2>"$log" &
  CAP=$!
  BG+=("$CAP")
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  rm -f "$log"
  sleep 0.3
}

stop_capture() {
  sleep 1
  kill -INT "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
}

# packets FILE: how many packets a capture holds.
packets() { tcpdump -n -r "$1" 2>/dev/null | wc -l; }

# kernel NAME PORT SERVER_MODE SERVER_ARG CLIENT_MODE CLIENT_ARG [tcpdump options]
# (SERVER_MODE none: nothing listens; IFACE=any captures on Linux's "any" device, link type SLL2)
kernel() {
  kernel_once "$@"
  if [ "$(packets "$OUT/$1.pcap")" -eq 0 ]; then
    say "$1: nothing captured, once more"
    kernel_once "$@"
  fi
}

kernel_once() {
  local name="$1" port="$2" smode="$3" sarg="$4" cmode="$5" carg="$6"; shift 6
  say "$name"
  capture "$NS_S" "${IFACE:-vs}" "$OUT/$name.pcap" "tcp port $port" "$@"
  local cap=$CAP
  local server=""
  if [ "$smode" != none ]; then
    ip netns exec "$NS_S" timeout 60 "$PY" "$PEER" server "$port" "$smode" "$sarg" &
    server=$!
    sleep 0.3
  fi
  in_ns "$NS_C" timeout 60 "$PY" "$PEER" client "$S_ADDR" "$port" "$cmode" "$carg" || true
  [ -z "$server" ] || wait "$server" || true
  stop_capture "$cap"
}

# The tcpsim side: a serve in namespace NS with MTU, kernel at 10.0.0.1, tcpsim at 10.0.0.2.
start_serve() {
  local ns="$1" mtu="$2"
  "$TCPSIM" serve --ns "$ns" --mtu "$mtu" >"$OUT/.serve-$ns.log" 2>&1 &
  SERVES+=($!)
  for _ in $(seq 600); do [ -S "/run/tcpsim/$ns.sock" ] && return 0; sleep 0.1; done
  say "tcpsim serve in $ns did not start:"; cat "$OUT/.serve-$ns.log" >&2; return 1
}

# tcpsim_server NS NAME PORT CLIENT_MODE CLIENT_ARG: a kernel client against tcpsim's services.
tcpsim_server() {
  local ns="$1" name="$2" port="$3" cmode="$4" carg="$5"
  say "$name"
  capture "$ns" tun0 "$OUT/$name.pcap" "tcp port $port"
  local cap=$CAP
  in_ns "$ns" timeout 60 "$PY" "$PEER" client 10.0.0.2 "$port" "$cmode" "$carg" || true
  sleep 0.3
  stop_capture "$cap"
}

connect_timeouts() {
  local ns_t="$1"
  say "connect timeouts (127 s, in the background)"
  capture "$NS_S" vs "$OUT/linux-connect-timeout.pcap" "tcp port $TIMEOUT_PORT"
  local cap1=$CAP
  capture "$ns_t" tun0 "$OUT/tcpsim-client-connect-timeout.pcap" "tcp port $TIMEOUT_PORT"
  local cap2=$CAP
  (
    in_ns "$NS_C" timeout 150 "$PY" "$PEER" client "$S_ADDR" "$TIMEOUT_PORT" connect 140 || true
    stop_capture "$cap1"
  ) &
  TIMEOUT_JOBS_1=$!
  BG+=($!)
  (
    timeout 150 "$TCPSIM" nc --ns "$ns_t" 10.0.0.1 "$TIMEOUT_PORT" </dev/null || true
    stop_capture "$cap2"
  ) &
  TIMEOUT_JOBS_2=$!
  BG+=($!)
}

main() {
  kernel_pair
  local t1500="$PREFIX-t"
  start_serve "$t1500" 1500
  in_ns "$t1500" nft add table inet samples
  in_ns "$t1500" nft add chain inet samples in '{ type filter hook input priority 0; }'
  in_ns "$t1500" nft add rule inet samples in tcp dport "$TIMEOUT_PORT" drop
  connect_timeouts "$t1500"

  set_mtu 1500
  kernel linux-client-close 5001 client-close 2000 request-close 2000
  kernel linux-server-close 5002 reply-close 2000 request-eof ""
  kernel linux-half-close 5003 reply-after-eof 3000 half-close "" --time-stamp-precision=nano
  kernel linux-syn-to-closed-port 5004 none "" connect 5
  kernel linux-time-wait-reuse 5005 reply-close-twice 1000 reuse 40005
  kernel linux-listen-overflow 5006 no-accept 1 overflow 4
  kernel linux-zero-window 5007 slow-reader "" bulk 65536
  set_mtu 1280
  kernel linux-mss-1280 5008 sink "" bulk 20000
  set_mtu 9000
  IFACE=any kernel linux-mss-9000 5009 sink "" bulk 40000
  set_mtu 1500

  tcpsim_server "$t1500" tcpsim-server-client-close 7 echo ""
  tcpsim_server "$t1500" tcpsim-server-close 13 read-eof ""
  tcpsim_server "$t1500" tcpsim-server-half-close 7 half-close ""
  tcpsim_server "$t1500" tcpsim-syn-to-closed-port 5555 connect 5
  tcpsim_server "$t1500" tcpsim-server-time-wait-reuse 13 reuse-quiet 40013
  tcpsim_client_zero_window "$t1500"
  tcpsim_client_listen_overflow "$t1500"
  local t1280="$PREFIX-m1280" t9000="$PREFIX-m9000"
  start_serve "$t1280" 1280
  tcpsim_server "$t1280" tcpsim-server-mss-1280 9 bulk 20000
  start_serve "$t9000" 9000
  tcpsim_server "$t9000" tcpsim-server-mss-9000 9 bulk 40000

  say "waiting for the connect timeouts"
  wait "$TIMEOUT_JOBS_1" "$TIMEOUT_JOBS_2" || true
  post_process
  say "done: $(ls "$OUT"/*.pcap* | wc -l) captures in $OUT"
}

# tcpsim sends 64 KiB from serve's stack to a kernel server that leaves its 4 KiB buffer unread.
tcpsim_client_zero_window() {
  local ns="$1"
  say "tcpsim-client-zero-window"
  capture "$ns" tun0 "$OUT/tcpsim-client-zero-window.pcap" "tcp port 5010"
  local cap=$CAP
  ip netns exec "$ns" timeout 60 "$PY" "$PEER" server 5010 slow-reader "" &
  local server=$!
  sleep 0.3
  head -c 65536 /dev/zero | tr '\0' 'z' | timeout 60 "$TCPSIM" nc --ns "$ns" 10.0.0.1 5010 >/dev/null || true
  wait "$server" || true
  stop_capture "$cap"
}

# Three tcpsim connects to a kernel listener with backlog 1 that never accepts.
tcpsim_client_listen_overflow() {
  local ns="$1"
  say "tcpsim-client-listen-overflow"
  capture "$ns" tun0 "$OUT/tcpsim-client-listen-overflow.pcap" "tcp port 5011"
  local cap=$CAP
  ip netns exec "$ns" timeout 30 "$PY" "$PEER" server 5011 no-accept 1 &
  local server=$!
  sleep 0.3
  local ncs=()
  for i in 1 2 3; do
    (echo "client $i"; sleep 8) | timeout 10 "$TCPSIM" nc --ns "$ns" 10.0.0.1 5011 >/dev/null 2>&1 &
    ncs+=($!)
    sleep 0.3
  done
  for pid in "${ncs[@]}"; do wait "$pid" || true; done
  wait "$server" || true
  stop_capture "$cap"
}

# Format variety for the readers: one capture rewritten as pcapng (the others are pcap; one has
# nanosecond timestamps, one was taken on the "any" device as SLL2, the tcpsim ones are raw IP).
post_process() {
  editcap -F pcapng "$OUT/linux-server-close.pcap" "$OUT/linux-server-close.pcapng"
  rm -f "$OUT/linux-server-close.pcap" "$OUT"/.serve-*.log
  chown --reference="$OUT" "$OUT"/*.pcap "$OUT"/*.pcapng   # tcpdump wrote them as its own user
}

main
