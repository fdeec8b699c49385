# browser.sh — headless Chromium for the report tests (sourced after tests/lib.sh).
#
#   need_chromium           0 when a Chromium is installed (CHROMIUM=path picks one; a path that
#                           is not there stands for none); otherwise a loud skip, or a failure
#                           under CI=true (CI installs Debian's chromium through scripts/deps.sh)
#   need_node               the same for Node.js (tests/report/q.js reads the JSON inputs)
#   browse PAGE DOM LOG     load PAGE (a file) and write the DOM after its scripts ran to DOM and
#                           Chromium's log to LOG; returns Chromium's status (124: timed out)
#   shoot PAGE PNG [WxH]    a screenshot of PAGE
#   console_lines LOG       the console messages in LOG (any level; "Uncaught ..." for exceptions)
#
# Console messages: with --enable-logging=stderr --v=0 Chromium writes every console message of
# the page, whatever its level, as a line containing "INFO:CONSOLE" with the message and its
# source; uncaught exceptions and Content-Security-Policy refusals appear there too. A report
# page never logs anything, so any such line is an error.
CHROMIUM=${CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$(command -v "$c"); break; fi
  done
fi
BROWSER_TIMEOUT=${BROWSER_TIMEOUT:-90}

_need() { # what why
  if [ "${CI:-}" = "true" ]; then fail "$1 available" "$2"; else skip "$1 tests: $2"; fi
  return 1
}
need_chromium() {
  [ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] && return 0
  _need "headless Chromium" "no chromium${CHROMIUM:+ at $CHROMIUM} (install Debian's chromium: scripts/deps.sh test)"
}
need_node() {
  command -v node >/dev/null 2>&1 && return 0
  _need "Node.js" "no node on PATH (install Debian's nodejs: scripts/deps.sh test)"
}

# The flags of a throwaway, offline, headless Chromium: a fresh profile each time; no sandbox
# (CI runs as root); no GPU; nothing that phones home (the machine's network is closed, and the
# background services would only log refused connections).
_chromium() {
  local profile
  profile=$(mktemp -d "$TEST_TMP_ROOT/chromium.XXXXXX")
  timeout -k 10 "$BROWSER_TIMEOUT" "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --disable-quic \
    --no-first-run --no-default-browser-check --user-data-dir="$profile" "$@"
}

browse() {
  _chromium --enable-logging=stderr --v=0 --dump-dom "file://$1" >"$2" 2>"$3"
}

shoot() {
  _chromium --hide-scrollbars --window-size="${3:-1400,1800}" --screenshot="$2" "file://$1" >/dev/null 2>&1
}

console_lines() {
  grep 'CONSOLE' "$1" || true
}

# dom_attr DOM ID NAME: the attribute NAME of the element with id ID in a dumped DOM.
dom_attr() {
  grep -o "<[a-z][^>]* id=\"$2\"[^>]*>" "$1" | head -n 1 | grep -o " $3=\"[^\"]*\"" | head -n 1 |
    sed -e "s/^ $3=\"//" -e 's/"$//'
}
