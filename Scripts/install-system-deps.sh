#!/usr/bin/env bash
# Installs the Debian packages GenreClassifier links: OpenBLAS (CBLAS) and LAPACKE, plus
# pkg-config, which SwiftPM uses to find them. Uses sudo when not run as root.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev pkg-config)
if dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  exit 0
fi
as_root=()
if [ "$(id -u)" != "0" ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${packages[@]}"
