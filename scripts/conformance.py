"""Comparison logic of scripts/conformance.sh: agent inspect/symbols versus readelf and objdump (binutils)."""
import json
import pathlib
import re
import subprocess
import sys

# readelf -h spells e_machine as a name (binutils readelf.c get_machine_name); the vDSO architectures' numbers
# from include/elf/common.h. Other machines print "<unknown>: 0x..", handled below.
MACHINES = {
    "Intel 80386": 3,
    "MIPS R3000": 8,
    "PowerPC": 20,
    "PowerPC64": 21,
    "IBM S/390": 22,
    "ARM": 40,
    "Renesas / SuperH SH": 42,
    "Intel IA-64": 50,
    "Advanced Micro Devices X86-64": 62,
    "AArch64": 183,
    "RISC-V": 243,
    "LoongArch": 258,
}
# readelf --dyn-syms Ndx column for the reserved indexes (include/elf/common.h SHN_*)
SPECIAL_SECTIONS = {"UND": 0, "ABS": 0xFFF1, "COM": 0xFFF2}
SYMBOL_ROW = re.compile(
    r"^\s*(?P<num>\d+):\s+(?P<value>[0-9a-f]+)\s+(?P<size>0x[0-9a-f]+|\d+)\s+(?P<type>\S+)\s+(?P<bind>\S+)"
    r"\s+(?P<vis>\S+)\s+(?P<ndx>\S+)\s?(?P<name>.*)$")


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


class Report:
    def __init__(self):
        self.mismatches = 0

    def mismatch(self, file, what, ours, theirs):
        self.mismatches += 1
        print(f"MISMATCH {file}: {what}: agent={ours!r} binutils={theirs!r}")

    def check(self, file, what, ours, theirs):
        if ours != theirs:
            self.mismatch(file, what, ours, theirs)


def header(text):
    fields = dict(re.findall(r"^\s*([^:\n]+):\s+(.*?)\s*$", text, re.M))
    machine = fields["Machine"]
    unknown = re.match(r"<unknown>: 0x([0-9a-f]+)", machine)
    return {
        "elfClass": {"ELF32": 32, "ELF64": 64}.get(fields["Class"]),
        "byteOrder": "LITTLE_ENDIAN" if "little endian" in fields["Data"] else "BIG_ENDIAN",
        "machine": int(unknown.group(1), 16) if unknown else MACHINES.get(machine, "unmapped: " + machine),
    }


def dynamic_symbols(text):
    symbols = []
    for line in text.splitlines():
        row = SYMBOL_ROW.match(line)
        if not row or int(row["num"]) == 0:
            continue
        # name@@VERSION is the default version, name@VERSION a hidden one; verneed entries add " (n)"
        name = re.sub(r" \(\d+\)$", "", row["name"])
        version, hidden = None, False
        if "@@" in name:
            name, version = name.split("@@", 1)
        elif "@" in name:
            name, version = name.split("@", 1)
            hidden = True
        ndx = row["ndx"]
        size = row["size"]
        symbols.append({
            "name": name,
            "version": version,
            "hidden": hidden,
            "type": row["type"],
            "binding": row["bind"],
            "value": int(row["value"], 16),
            "size": int(size, 16) if size.startswith("0x") else int(size),
            "section": SPECIAL_SECTIONS[ndx] if ndx in SPECIAL_SECTIONS else int(ndx),
        })
    return symbols


def version_definitions(text):
    names = []
    for flags, name in re.findall(r"Rev: \d+\s+Flags: (.*?)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)", text):
        if "BASE" not in flags:
            names.append(name)
    return names


def build_id(text):
    found = re.search(r"Build ID: ([0-9a-f]+)", text)
    return found.group(1) if found else None


def objdump_table(text):
    lines = text.splitlines()
    if "DYNAMIC SYMBOL TABLE:" not in lines:
        return []
    start = lines.index("DYNAMIC SYMBOL TABLE:")
    return [line for line in lines[start:] if line.strip()]


def compare(jar, file, report):
    code, out, err = run(["java", "-jar", jar, "agent", "inspect", "--json", str(file)])
    if code != 0:
        report.mismatch(file, "agent inspect exit code", code, 0)
        print("  " + err.strip())
        return
    ours = json.loads(out)
    readelf = {option: run(["readelf", option, "-W", str(file)])[1] for option in ("-h", "--dyn-syms", "-V", "-n")}

    for key, theirs in header(readelf["-h"]).items():
        report.check(file, key, ours[key], theirs)
    report.check(file, "buildId", ours["buildId"], build_id(readelf["-n"]))
    report.check(file, "versions", ours["versions"], version_definitions(readelf["-V"]))

    theirs = dynamic_symbols(readelf["--dyn-syms"])
    report.check(file, "symbol count", len(ours["symbols"]), len(theirs))
    for index, (mine, other) in enumerate(zip(ours["symbols"], theirs), start=1):
        if other["version"] is None and mine["version"] == mine["name"] == other["name"]:
            # readelf.c get_symbol_version_string prints no version for a version definition's own symbol
            # (st_name == vda_name, e.g. the ABS symbol LINUX_2.6); objdump -T, checked below, prints it
            other = dict(other, version=mine["version"])
        for key in ("name", "version", "hidden", "type", "binding", "value", "size", "section"):
            report.check(file, f"symbol {index} ({other['name']}) {key}", mine[key], other[key])

    code, out, err = run(["java", "-jar", jar, "agent", "symbols", str(file)])
    if code != 0:
        report.mismatch(file, "agent symbols exit code", code, 0)
        print("  " + err.strip())
        return
    table = objdump_table(run(["objdump", "-T", str(file)])[1])
    mine = [line for line in out.splitlines() if line.strip()]
    report.check(file, "objdump -T line count", len(mine), len(table))
    for number, (line, other) in enumerate(zip(mine, table), start=1):
        report.check(file, f"objdump -T line {number}", line, other)


def main(jar, directory):
    files = sorted(path for path in pathlib.Path(directory).rglob("*.so") if path.is_file())
    if not files:
        print(f"no *.so files below {directory}", file=sys.stderr)
        return 2
    report = Report()
    for file in files:
        before = report.mismatches
        compare(jar, file, report)
        print(f"{'ok ' if report.mismatches == before else 'BAD'} {file}")
    print(f"{len(files)} files, {report.mismatches} mismatches")
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
