#!/usr/bin/env bash
# Conformance of the agent's ELF analysis with GNU binutils.
#
# Usage: scripts/conformance.sh DIR
#
# For every *.so below DIR (image.so included) runs `agent inspect --json FILE` and `agent symbols FILE` from the
# packaged jar, and compares them with readelf -h/--dyn-syms/-V/-n -W and objdump -T of the same file: class,
# byte order, machine, build-id, version definitions, and per symbol name, version, hidden flag, value, size,
# type, binding and section number; the `symbols` table line by line with objdump's. Prints every mismatch and
# a final count; exits 1 on any mismatch, 2 on a usage error.
# Needs: java 17+, python3, readelf and objdump (binutils), and target/vdso-inventory.jar (mvn package), or
# the jar named by $VDSO_INVENTORY_JAR.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 DIR  (a directory holding vDSO images named *.so)" >&2
    exit 2
fi
jar=${VDSO_INVENTORY_JAR:-$here/../target/vdso-inventory.jar}
if [ ! -f "$jar" ]; then
    echo "$0: $jar is missing: build it with 'mvn -q package -DskipTests' or set VDSO_INVENTORY_JAR" >&2
    exit 2
fi
for tool in java python3 readelf objdump; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is not on PATH" >&2; exit 2; }
done
exec python3 "$here/conformance.py" "$jar" "$1"
