#!/usr/bin/env bash
# Checks docker/prometheus and docker/grafana: Prometheus config and alert rules (promtool check), alert rule
# unit tests (promtool test rules), dashboards, provisioning and the metric contract (observability.py check).
# Installs Debian's prometheus package (promtool) and python3-yaml when missing and running as root, as in CI.
# Exit status: 0 all passed, 1 a check failed or a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

install_debian_packages() {
  bash scripts/install-debian-packages.sh test-alert-rules "$@"
}

if ! command -v promtool >/dev/null; then
  install_debian_packages prometheus
fi
python=python3
if ! "$python" -c 'import yaml' 2>/dev/null; then
  python=/usr/bin/python3
  "$python" -c 'import yaml' 2>/dev/null || install_debian_packages python3-yaml
fi

promtool --version 2>&1 | head -n 1
promtool check config docker/prometheus/prometheus.yml
promtool check rules docker/prometheus/alerts.yml
promtool test rules docker/prometheus/alerts.test.yml
"$python" scripts/observability.py check
