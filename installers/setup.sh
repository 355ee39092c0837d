#!/usr/bin/env bash
# Installs everything Bramble needs to build, run and test, on Debian 12 /
# Ubuntu 22.04+ (apt). Idempotent and non-interactive: when everything is
# present it only checks, in a second or two. Run as root or with sudo
# available.
#
# macOS (Homebrew) equivalent, for developers on a Mac:
#   brew install cmake ninja ccache qt@6 qtkeychain libssh yaml-cpp openssl@3 python kubernetes-cli awscli
#   python3 -m pip install 'moto[server]>=5'
#   cmake -S . -B build -G Ninja -DCMAKE_PREFIX_PATH="$(brew --prefix qt@6)"
# (sshd is part of macOS; tests start their own on loopback.)
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # Qt 6: widgets, charts, svg, sqlite driver, keychain, offscreen/xcb platforms
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev
  libqt6sql6-sqlite qt6-qpa-plugins qtkeychain-qt6-dev libgl-dev libxkbcommon-dev libvulkan-dev
  # services
  libssh-dev libyaml-cpp-dev libssl-dev
  # tests: display, peers and the real clients that prove our fakes
  xvfb xauth openssh-server openssh-client python3 python3-pip curl
  # packaging checks: dpkg-shlibdeps, desktop-file-validate, zsh -n
  dpkg-dev desktop-file-utils zsh
  fonts-dejavu-core
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  [[ $p == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Real clients that prove the fakes: kubectl and the aws CLI. Use what the
# machine has; otherwise Debian's packages where they exist.
if ! command -v aws >/dev/null; then
  $sudo apt-get install -y -qq --no-install-recommends awscli >/dev/null || echo "setup.sh: warning: no aws CLI" >&2
fi
if ! command -v kubectl >/dev/null; then
  $sudo apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null 2>&1 \
    || echo "setup.sh: warning: kubectl not found and not installable here; tests that compare with kubectl will fail" >&2
fi

# moto's server (moto 5.x with its server extra) and botocore: pip only
# where they are missing.
if ! python3 -c "import moto, flask, botocore" >/dev/null 2>&1; then
  echo "setup.sh: installing moto[server] with pip"
  python3 -m pip install --quiet 'moto[server]>=5,<6' \
    || python3 -m pip install --quiet --break-system-packages 'moto[server]>=5,<6'
fi

# sshd refuses to start without its privilege-separation directory.
[ -d /run/sshd ] || $sudo mkdir -p -m 0755 /run/sshd

echo "setup.sh: all dependencies present"
