#!/usr/bin/env bash
# deps.sh - installs the Debian packages Kepu needs, skipping those already present.
#   scripts/deps.sh build   packages to build and run the server
#   scripts/deps.sh test    plus what the tests and benchmarks use
# cracklib-runtime is only a recommendation of libcrack2 and is named here: it builds the
# dictionary that password checks (libpwquality) need at run time. libreoffice-calc-nogui opens
# exported and template workbooks headless in the Excel round-trip tests, as staff would in Calc.
# FFmpeg's libraries read a media file's duration and poster frame and refuse a file that is not
# what it claims; poppler-glib reads a PDF's text for the resource library's search.
set -euo pipefail
build=(build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
       libsodium-dev libpq-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev libqrencode-dev
       libzip-dev libexpat1-dev libpwquality-dev cracklib-runtime libcurl4-openssl-dev fonts-noto-cjk nodejs npm
       libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libpoppler-glib-dev)
test=(libcmocka-dev chromium fonts-noto-cjk wrk nginx-light postgresql unzip sqlite3
      poppler-utils zbar-tools clang libclang-rt-14-dev libreoffice-calc-nogui)
want=("${build[@]}")
[ "${1:-build}" = test ] && want+=("${test[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node and npm may come from elsewhere than Debian (a newer node ships npm itself).
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
