#!/usr/bin/env bash
# Checks docker/ and helm/ without a Docker engine or a cluster:
#  - docker-compose (1.29) `config` accepts docker/compose.yaml, with and without the scan profile;
#  - dclint (waived rules explained in scripts/deploy-lint/dclint.yaml) and dockerfilelint pass;
#  - every object the chart renders in the JUnit chart tests (target/helm-template/*.yaml, written by
#    src/test/java/io/vdsoinventory/deploy) type-checks against the Kubernetes, prometheus-operator and
#    cert-manager schemas.
# The chart itself is linted (helm lint --strict) and asserted on by those JUnit tests; when their output is
# missing this script runs them. Installs Debian's docker-compose and the npm tools of scripts/deploy-lint
# (into its git-ignored node_modules) when missing; apt needs root, as in CI.
# Exit status: 0 all passed, 1 a check failed or a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=scripts/deploy-lint
rendered=target/helm-template

command -v docker-compose >/dev/null || bash scripts/install-debian-packages.sh lint-deploy docker-compose
command -v npm >/dev/null || bash scripts/install-debian-packages.sh lint-deploy nodejs npm
# reinstall when package-lock.json changed since the last install
if ! cmp -s "$tools/package-lock.json" "$tools/node_modules/.package-lock.installed" 2>/dev/null; then
  echo "lint-deploy: installing the npm tools of $tools"
  (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$tools/package-lock.json" "$tools/node_modules/.package-lock.installed"
fi
bin="$tools/node_modules/.bin"

failed=0
check() {
  local what=$1
  shift
  if "$@"; then
    echo "lint-deploy: ok: $what"
  else
    echo "lint-deploy: FAILED: $what" >&2
    failed=1
  fi
}

check "docker-compose config" docker-compose -f docker/compose.yaml config -q
check "docker-compose config (profile scan)" docker-compose -f docker/compose.yaml --profile scan config -q
check "dclint docker/compose.yaml" "$bin/dclint" -c "$tools/dclint.yaml" --max-warnings 0 docker/compose.yaml
check "dockerfilelint" "$bin/dockerfilelint" docker/Dockerfile

if ! compgen -G "$rendered/*.yaml" >/dev/null; then
  echo "lint-deploy: no rendered chart in $rendered: running the chart tests"
  mvn -B -ntp -q test -Dtest='HelmChartTests,ChartObservabilityTests' -Dsurefire.failIfNoSpecifiedTests=false
fi
check "Kubernetes schemas of the rendered chart" node "$tools/validate-k8s.mjs" "$rendered"/*.yaml

exit "$failed"
