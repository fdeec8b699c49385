#!/usr/bin/env bash
# demo.sh SEEDLOAD — generate EduPulse 'small' into demo/edupulse.db and show what was made.
set -euo pipefail
bin=${1:-./seedload}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p demo
echo "== seedload check profiles/edupulse.yaml"
"$bin" check profiles/edupulse.yaml
echo
echo "== seedload generate profiles/edupulse.yaml --scenario small --target sqlite:demo/edupulse.db --force --checksum"
"$bin" generate profiles/edupulse.yaml --scenario small --target sqlite:demo/edupulse.db --force --checksum
if command -v sqlite3 >/dev/null 2>&1; then
  echo
  echo "== a look inside demo/edupulse.db (sqlite3)"
  sqlite3 -header -column demo/edupulse.db <<'SQL'
SELECT district_id, first_name, last_name, grade_level, gpa, attendance_rate FROM students ORDER BY district_id LIMIT 5;
SELECT status, count(*) AS records FROM attendance_records GROUP BY status ORDER BY records DESC;
SELECT risk_category, count(*) AS predictions, round(avg(risk_score), 3) AS avg_risk FROM predictions GROUP BY risk_category ORDER BY avg_risk;
SQL
fi
