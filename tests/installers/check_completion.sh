#!/usr/bin/env bash
# The completion scripts and man pages bramblectl generates: they parse in
# their shells, bash completes commands, sub-commands, options and context
# names through compgen, and each man page names every command.
# Usage: check_completion.sh BUILD_BIN_DIR SHARE_DIR
set -u
bin=$1
share=$2
ctl="$bin/bramblectl"
failures=0
fail() { echo "check_completion: $*"; failures=$((failures + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for shell in bash zsh fish; do
    "$ctl" completion "$shell" > "$tmp/$shell" || fail "bramblectl completion $shell exited $?"
done
bash -n "$tmp/bash" || fail "bash -n rejects the bash script"
if command -v zsh > /dev/null; then
    zsh -n "$tmp/zsh" || fail "zsh -n rejects the zsh script"
else
    echo "check_completion: zsh not installed: zsh -n skipped"
fi
if command -v fish > /dev/null; then
    fish --no-execute "$tmp/fish" || fail "fish rejects the fish script"
fi
"$ctl" completion tcsh > /dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown shell must be a usage error (exit 2)"

# What bash offers for a command line (the last word is being completed).
complete_line() {
    ( PATH="$bin:$PATH"
      # shellcheck disable=SC1090
      source "$tmp/bash"
      COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
      "_${1}"
      printf '%s\n' "${COMPREPLY[@]}" )
}
expect() {
    local want=$1; shift
    local got
    got=$(complete_line "$@")
    grep -qx -- "$want" <<< "$got" || fail "completing '$*': expected $want, got: $(echo $got)"
}
reject() {
    local unwanted=$1; shift
    complete_line "$@" | grep -qx -- "$unwanted" && fail "completing '$*' offers $unwanted"
    return 0
}
expect sagas bramblectl sa
expect contexts bramblectl --json co
reject completion bramblectl sa
expect executions bramblectl sagas ex
expect cordon bramblectl nodes co
expect uncordon bramblectl nodes un
expect --watch bramblectl nodes --wa
expect --kubeconfig bramblectl nodes --kube
expect check bramblectl pools ch
expect zsh bramblectl completion z
expect RUNNING bramblectl sagas executions x --status RU
reject manpage bramblectl man
expect sagas bramble --pane sa
expect dark bramble --color-scheme d
cat > "$tmp/kubeconfig" << 'KC'
apiVersion: v1
kind: Config
current-context: pi
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443"}
users:
- name: u
  user: {token: t}
contexts:
- name: pi-cluster
  context: {cluster: c, user: u}
- name: lab
  context: {cluster: c, user: u}
KC
KUBECONFIG="$tmp/kubeconfig" expect pi-cluster bramblectl --context p
KUBECONFIG="$tmp/kubeconfig" expect lab bramble --context l

for page in bramblectl bramble; do
    gz="$share/man/man1/$page.1.gz"
    [ -s "$gz" ] || { fail "$gz missing"; continue; }
    text=$(gzip -dc "$gz") || fail "$gz is not gzip"
    grep -q "^\.TH ${page^^} 1" <<< "$text" || fail "$page.1 has no .TH header"
done
man_ctl=$(gzip -dc "$share/man/man1/bramblectl.1.gz")
for cmd in $("$ctl" --help | awk '/^Commands:/{on=1; next} /^$/{on=0} on{print $1}'); do
    grep -q "bramblectl $cmd" <<< "$man_ctl" || fail "bramblectl.1 does not describe '$cmd'"
done
grep -q -- '\\-\\-pane' <(gzip -dc "$share/man/man1/bramble.1.gz") || fail "bramble.1 lacks --pane"

if command -v desktop-file-validate > /dev/null; then
    out=$(desktop-file-validate "$(dirname "$0")/../../resources/bramble.desktop" 2>&1) || fail "desktop-file-validate rejects bramble.desktop: $out"
    [ -z "$out" ] || fail "desktop-file-validate: $out"
else
    echo "check_completion: desktop-file-validate not installed (desktop-file-utils): skipped"
fi

if [ $failures -gt 0 ]; then
    echo "check_completion: $failures failure(s)"
    exit 1
fi
echo "check_completion: ok"
