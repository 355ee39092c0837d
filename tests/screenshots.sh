#!/usr/bin/env bash
# One PNG per pane, for looking at what users see.
#   tests/screenshots.sh [BUILD_DIR] [OUT_DIR] [--xvfb] [--color-scheme dark|light]
# Default: offscreen rendering (no display needed). With --xvfb the real xcb
# platform runs under xvfb-run, as a desktop would.
# The panes are shown against a sample kubeconfig and AWS profile from
# tests/data/screenshots/ (HOME is a temp dir, so your own files are never
# read); set BRAMBLE_SCREENSHOT_REAL=1 to use your own environment instead.
# The Nodes pane is shown live against `fake-kube-apiserver --scenario
# nodes-demo` (twelve Pis, some NotReady, Unknown or cordoned, and a short
# story of changes for the readiness timeline), the Load balancers pane
# against `--scenario metallb-demo` (MetalLB pools, services and problems),
# the Sagas pane against `fake-aws-server --scenario saga-demo`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
out="${2:-$here/../build/screenshots}"
shift $(( $# > 2 ? 2 : $# )) || true
xvfb=0; scheme=()
while [ $# -gt 0 ]; do
  case "$1" in
    --xvfb) xvfb=1 ;;
    --color-scheme) scheme=(--color-scheme "$2"); shift ;;
    *) echo "screenshots.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
if [ "${BRAMBLE_SCREENSHOT_REAL:-0}" != 1 ]; then
  home="$(mktemp -d)"; trap 'rm -rf "$home"' EXIT
  export HOME="$home" XDG_CONFIG_HOME="$home/.config"
  export KUBECONFIG="$here/data/screenshots/kubeconfig"
  export AWS_CONFIG_FILE="$here/data/screenshots/aws-config"
  export AWS_SHARED_CREDENTIALS_FILE="$here/data/screenshots/aws-credentials"
  unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_ACCESS_KEY_ID SSH_AUTH_SOCK
fi

# The demo clusters: nodes-demo for the Nodes pane, metallb-demo for the Load
# balancers pane, one at a time. Each one's stdin is a pipe from this script,
# so it exits with us; the trap (or stop_demo) stops it earlier.
demo_pid=""; demo_dir=""
stop_demo() {
  if [ -n "$demo_pid" ]; then kill "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
  if [ -n "$demo_dir" ]; then rm -rf "$demo_dir"; fi
  demo_pid=""; demo_dir=""
}
trap 'stop_demo; rm -rf ${home:+"$home"}' EXIT
start_demo() {
  stop_demo
  demo_dir="$(mktemp -d)"
  coproc DEMO { exec "$build/bin/fake-kube-apiserver" --scenario "$1" --pki-dir "$demo_dir"; }
  demo_pid=$DEMO_PID
  read -r -t 30 ready <&"${DEMO[0]}" || { echo "screenshots.sh: fake-kube-apiserver did not start" >&2; exit 1; }
  case "$ready" in READY*) ;; *) echo "screenshots.sh: fake-kube-apiserver: $ready" >&2; exit 1 ;; esac
  demo_kubeconfig="${ready##*KUBECONFIG=}"
}

# The Sagas pane's AWS: `fake-aws-server --scenario saga-demo` (Step
# Functions and DynamoDB with the seed saga and a dozen executions of every
# outcome, one still running), reached through AWS_ENDPOINT_URL.
aws_pid=""
stop_aws() {
  if [ -n "$aws_pid" ]; then kill "$aws_pid" 2>/dev/null || true; wait "$aws_pid" 2>/dev/null || true; fi
  aws_pid=""
}
start_aws() {
  coproc AWS { exec "$build/bin/fake-aws-server" --scenario saga-demo; }
  aws_pid=$AWS_PID
  read -r -t 30 ready <&"${AWS[0]}" || { echo "screenshots.sh: fake-aws-server did not start" >&2; exit 1; }
  case "$ready" in READY*) ;; *) echo "screenshots.sh: fake-aws-server: $ready" >&2; exit 1 ;; esac
  aws_endpoint="${ready##*ENDPOINT=}"
}
trap 'stop_demo; stop_aws; rm -rf ${home:+"$home"}' EXIT

for pane in nodes loadbalancers provision sagas logs; do
  args=(--screenshot "$out/$pane.png" --pane "$pane" --size 1400x900 "${scheme[@]}")
  if [ "$pane" = nodes ]; then
    start_demo nodes-demo
    # Wait for the demo's story (six steps, 0.7 s apart) to play out.
    args+=(--kubeconfig "$demo_kubeconfig" --screenshot-delay 5500)
  elif [ "$pane" = loadbalancers ]; then
    start_demo metallb-demo
    args+=(--kubeconfig "$demo_kubeconfig" --screenshot-delay 1500)
  else
    stop_demo
  fi
  envs=()
  if [ "$pane" = sagas ]; then
    start_aws
    envs=(AWS_ENDPOINT_URL="$aws_endpoint")
    args+=(--screenshot-delay 40000) # the running saga compensating
  fi
  if [ $xvfb = 1 ]; then
    env "${envs[@]}" xvfb-run -a -s '-screen 0 1400x900x24' "$build/bin/bramble" "${args[@]}"
  else
    env "${envs[@]}" QT_QPA_PLATFORM=offscreen "$build/bin/bramble" "${args[@]}"
  fi
  stop_aws
done
