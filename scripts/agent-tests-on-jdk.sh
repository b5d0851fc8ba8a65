#!/usr/bin/env bash
# Runs the agent side's tests (agent, host, elf, vdso, protocol: what runs on every host) on another JDK, against
# the classes and the jar that `mvn verify` built. Usage: scripts/agent-tests-on-jdk.sh JAVA_HOME
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:?usage: scripts/agent-tests-on-jdk.sh JAVA_HOME}
if [ ! -x "$jdk/bin/java" ]; then
  echo "agent-tests-on-jdk: no JDK at $jdk" >&2
  exit 1
fi
if [ ! -f target/vdso-inventory.jar ]; then
  echo "agent-tests-on-jdk: target/vdso-inventory.jar is missing: run mvn -B verify first" >&2
  exit 1
fi
"$jdk/bin/java" -version 2>&1 | head -1
packages=(agent host elf vdso protocol)
tests=$(printf 'io/vdsoinventory/%s/**/*Tests,' "${packages[@]}")
its=$(printf 'io/vdsoinventory/%s/**/*IT,' "${packages[@]}")
JAVA_HOME=$jdk mvn -B -ntp test -Dtest="${tests%,}" -Dsurefire.failIfNoSpecifiedTests=false
JAVA_HOME=$jdk mvn -B -ntp failsafe:integration-test failsafe:verify -Dit.test="${its%,}" \
  -Dfailsafe.failIfNoSpecifiedTests=false
