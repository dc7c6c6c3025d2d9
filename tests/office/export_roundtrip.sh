#!/usr/bin/env bash
# export_roundtrip.sh KEPU_BIN - the Excel exports as staff open them (issue 14, items 12, 15-17,
# 19): a demo city served by the real server; each export is downloaded and converted to CSV by
# LibreOffice Calc (headless, a private profile), which shows the values saved in the file
# without recalculating formulas; export_roundtrip.py checks what Calc shows against the API.
# The server is stopped on every exit; on failure the temp dir (files, logs) is kept.
set -euo pipefail
KEPU=${1:?usage: tests/office/export_roundtrip.sh KEPU_BIN}
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$KEPU" ] || { echo "export_roundtrip: $KEPU is not an executable" >&2; exit 2; }
command -v soffice >/dev/null || { echo "export_roundtrip: soffice is missing (scripts/deps.sh: libreoffice-calc-nogui)" >&2; exit 2; }

# shared with tests/e2e/run.sh: temp dir, demo city, server, stop on exit
. "$HERE/../lib/server.sh"
kepu_tmp office export_roundtrip

export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Office-Admin-2026
mkdir -p "$TMP/web"
kepu_demo "$KEPU" "$TMP/kepu.db" || exit 1
kepu_serve "$KEPU" "$TMP/kepu.db" "$TMP/web" || exit 1

if python3 "$HERE/export_roundtrip.py" "$KEPU_URL" "$TMP"; then status=0; fi
exit $status
