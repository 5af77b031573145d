#!/usr/bin/env bash
# Installs what Pulley needs to build and test, from Debian's packages only. Idempotent: packages
# already present are left alone, so it is safe to re-run. Run as root on Debian 12.
set -euo pipefail

packages=(
  cmake ninja-build g++                 # build
  libeigen3-dev                         # linear algebra
  libyaml-cpp-dev nlohmann-json3-dev    # subject files in, results out
  libcli11-dev libfmt-dev               # command line, formatting
  libnlopt-cxx-dev                      # constrained optimisation (standing posture)
  libceres-dev                          # nonlinear least squares (calibration)
  libgoogle-glog-dev                    # Ceres's logging, kept quiet during a fit
  libgtest-dev libbenchmark-dev         # tests and benchmarks
  chromium fonts-dejavu-core            # renders the HTML report in a test (about 80 MB
                                        # download, 30-60 s to install)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup.sh: all build and test dependencies are installed"
