#!/usr/bin/env bash
# The programs the tests drive besides Node: Chromium (task pane), LibreOffice (xlsx opened by a
# real spreadsheet program) with pdftotext (its PDFs read back), curl and script, and with `postgresql` as argument a PostgreSQL server (fault tests).
# (Not xmllint: the manifest's schema validation runs in .ci/run, beside ../shared.) Installs the
# missing ones from Debian when it can (as root); otherwise says what to install and fails, so
# that no test is silently skipped.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
# pdftotext (poppler-utils): the workbooks printed to PDF by LibreOffice, read back page by page.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# curl: the README's examples and the HTTPS tests (test/start/); script (util-linux): a terminal for the log tests.
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
if [ "${1:-}" = postgresql ] && ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then need+=(postgresql); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "The tests need: ${need[*]}. Install them with: sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
