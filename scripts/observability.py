#!/usr/bin/env python3
"""Checks the Prometheus rules and Grafana dashboards under docker/ against each other and docs/metrics.md.

Usage (from anywhere in the repository):
  scripts/observability.py metrics-used   print the sorted names of the series that alerts.yml and the
                                          dashboards query and the server must export, one per line
  scripts/observability.py check          validate dashboards, provisioning, the metric contract and the
                                          coverage of the alert rule tests; needs promtool on PATH

Exit status: 0 ok, 1 a check failed (each problem on one stderr line), 2 usage.
Needs PyYAML (Debian: python3-yaml).
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROMETHEUS = ROOT / "docker" / "prometheus"
GRAFANA = ROOT / "docker" / "grafana"
ALERTS = PROMETHEUS / "alerts.yml"
ALERT_TESTS = PROMETHEUS / "alerts.test.yml"
DASHBOARDS = GRAFANA / "dashboards"
DATASOURCES = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = GRAFANA / "provisioning" / "dashboards" / "dashboards.yml"
CONTRACT = ROOT / "docs" / "metrics.md"

# Series that Prometheus itself makes: queried, but never exported by the server.
PROMETHEUS_MADE = {"up"}
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")
# Labels every scraped series carries or a histogram adds, beyond those of the contract.
IMPLICIT_LABELS = {"job", "instance", "le", "__name__"}
ALERT_SEVERITIES = {"critical", "high", "medium", "low", "info"}
# Grafana's own variables, with values that make the query valid PromQL for `promtool check rules`.
GRAFANA_BUILTINS = {"__rate_interval": "1m", "__interval": "1m", "__range": "1h"}
PANEL_TYPES = {"row", "stat", "timeseries", "bargauge", "table", "gauge", "text", "piechart", "heatmap"}
UID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

PROMQL_KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
                   "bool", "offset", "inf", "nan", "atan2"}
LABEL_LIST = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
IDENTIFIER = re.compile(r"(?<![\w.:])([A-Za-z_:][A-Za-z0-9_:]*)(?![\w:])(?!\s*\()")
MATCHER_LABEL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")
LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.*?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", re.S)
GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")
LEGEND_LABEL = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def strip_strings(expr):
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)


def metric_names(expr):
    """Metric names a PromQL expression selects (without a parser: what remains after removing strings,
    label matchers, ranges, label lists, function calls, keywords and numbers is a metric name)."""
    rest = strip_strings(expr)
    rest = re.sub(r"\{[^}]*\}", " ", rest)
    rest = re.sub(r"\[[^\]]*\]", " ", rest)
    rest = LABEL_LIST.sub(" ", rest)
    return {name for name in IDENTIFIER.findall(rest) if name.lower() not in PROMQL_KEYWORDS}


def selector_labels(expr):
    """{metric: label names its own matchers use} for selectors written metric{...}."""
    found = {}
    for name, matchers in re.findall(r"(?<![\w.:])([A-Za-z_:][A-Za-z0-9_:]*)\s*\{([^}]*)\}", strip_strings(expr)):
        found.setdefault(name, set()).update(MATCHER_LABEL.findall(matchers))
    return found


def label_names(expr):
    """Label names an expression matches on or groups by."""
    text = strip_strings(expr)
    names = set()
    for matchers in re.findall(r"\{([^}]*)\}", text):
        names.update(MATCHER_LABEL.findall(matchers))
    for _, labels in LABEL_LIST.findall(text):
        names.update(label.strip() for label in labels.split(",") if label.strip())
    return names


def substitute_grafana_variables(expr):
    def value(match):
        name = match.group(1) or match.group(2)
        return GRAFANA_BUILTINS.get(name, ".*")
    return GRAFANA_VARIABLE.sub(value, expr)


def load_yaml(path):
    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file)


def alert_rules():
    return [rule for group in load_yaml(ALERTS)["groups"] for rule in group["rules"] if "alert" in rule]


def dashboards():
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DASHBOARDS.glob("*.json"))}


def all_panels(dashboard):
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


class Query:
    """One PromQL query of a rule, panel target or template variable, with where it comes from."""

    def __init__(self, where, expr, legend=""):
        self.where, self.legend = where, legend
        match = LABEL_VALUES.match(expr)
        # label_values(metric, label) is Grafana's, not PromQL: its metric is the query, its label a label
        self.expr = match.group(1) if match else expr
        self.extra_labels = {match.group(2)} if match else set()

    def labels(self):
        return label_names(self.expr) | self.extra_labels | set(LEGEND_LABEL.findall(self.legend))


def queries():
    found = [Query("alerts.yml " + rule["alert"], rule["expr"]) for rule in alert_rules()]
    for name, dashboard in dashboards().items():
        for panel in all_panels(dashboard):
            for target in panel.get("targets", []):
                where = "%s panel %r target %s" % (name, panel.get("title"), target.get("refId"))
                found.append(Query(where, target.get("expr", ""), target.get("legendFormat", "")))
        for variable in dashboard.get("templating", {}).get("list", []):
            if variable.get("type") == "query":
                query = variable.get("query")
                text = query.get("query", "") if isinstance(query, dict) else query or ""
                found.append(Query("%s variable %s" % (name, variable.get("name")), text))
    return found


def contract():
    """{metric: (type, labels)} from the table of docs/metrics.md."""
    row = re.compile(r"^\|\s*`([A-Za-z_:][A-Za-z0-9_:]*)`\s*\|\s*(\w+)\s*\|([^|]*)\|")
    table = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            table[match.group(1)] = (match.group(2), set(re.findall(r"`(\w+)`", match.group(3))))
    return table


def contract_metric(name, table):
    """The contract metric a queried series name belongs to, or None."""
    if name in table:
        return name
    for suffix in HISTOGRAM_SUFFIXES:
        base = name[: -len(suffix)]
        if name.endswith(suffix) and table.get(base, ("",))[0] == "histogram":
            return base
    return None


def used_metrics():
    return sorted(set().union(*(metric_names(query.expr) for query in queries())))


def check_contract(problems):
    table = contract()
    if not table:
        problems.append("%s: no metric table found" % CONTRACT.relative_to(ROOT))
        return
    allowed_labels = IMPLICIT_LABELS.union(*(labels for _, labels in table.values()))
    used = set()
    for query in queries():
        names = metric_names(query.expr)
        if not names:
            problems.append("%s: queries no metric" % query.where)
        for name in names:
            base = contract_metric(name, table)
            if base is None:
                problems.append("%s: metric %s is not in the contract (docs/metrics.md)" % (query.where, name))
            used.add(base)
        for label in sorted(query.labels() - allowed_labels):
            problems.append("%s: label %s is not in the contract (docs/metrics.md)" % (query.where, label))
        for name, labels in selector_labels(query.expr).items():
            base = contract_metric(name, table)
            for label in sorted(labels - IMPLICIT_LABELS - (table[base][1] if base else labels)):
                problems.append("%s: %s has no label %s in the contract (docs/metrics.md)" % (query.where, name, label))
    for name in sorted(set(table) - used):
        problems.append("docs/metrics.md: contract metric %s is queried by no rule or panel" % name)


def check_alert_tests(problems):
    firing, quiet = set(), set()
    for test in load_yaml(ALERT_TESTS)["tests"]:
        for case in test.get("alert_rule_test", []):
            expected = case.get("exp_alerts") or []
            (firing if expected else quiet).add(case["alertname"])
            for alert in expected:
                missing = {"summary", "description"} - set(alert.get("exp_annotations", {}))
                if missing or "severity" not in alert.get("exp_labels", {}):
                    problems.append("alerts.test.yml %r: a firing %s misses severity or %s"
                                 % (test["name"], case["alertname"], ", ".join(sorted(missing))))
    names = set()
    for rule in alert_rules():
        name = rule["alert"]
        names.add(name)
        if rule.get("labels", {}).get("severity") not in ALERT_SEVERITIES:
            problems.append("alerts.yml %s: severity label must be one of %s" % (name, sorted(ALERT_SEVERITIES)))
        for annotation in ("summary", "description"):
            if not rule.get("annotations", {}).get(annotation):
                problems.append("alerts.yml %s: no %s annotation" % (name, annotation))
        if name not in firing:
            problems.append("alerts.test.yml: no test where %s fires" % name)
        if name not in quiet:
            problems.append("alerts.test.yml: no test where %s stays quiet" % name)
    for name in sorted((firing | quiet) - names):
        problems.append("alerts.test.yml: tests %s, which alerts.yml does not define" % name)


def check_alert_docs(problems):
    """The alert table of docs/metrics.md says the `for` and severity that alerts.yml has."""
    row = re.compile(r"^\|\s*`(\w+)`\s*\|[^|]*\|\s*(\w+)\s*\|\s*(\w+)\s*\|\s*$")
    documented = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            documented[match.group(1)] = (match.group(2), match.group(3))
    for rule in alert_rules():
        actual = (rule.get("for", "0m"), rule.get("labels", {}).get("severity"))
        if documented.get(rule["alert"]) != actual:
            problems.append("docs/metrics.md: alert %s is documented as (for, severity) %r, alerts.yml has %r"
                            % (rule["alert"], documented.get(rule["alert"]), actual))
    for name in sorted(set(documented) - {rule["alert"] for rule in alert_rules()}):
        problems.append("docs/metrics.md: documents alert %s, which alerts.yml does not define" % name)


def provisioned_datasource_uid(problems):
    sources = load_yaml(DATASOURCES).get("datasources", [])
    if len(sources) != 1 or sources[0].get("type") != "prometheus" or not sources[0].get("uid"):
        problems.append("%s: expected exactly one prometheus datasource with a uid" % DATASOURCES.relative_to(ROOT))
        return None
    providers = load_yaml(PROVIDERS).get("providers", [])
    if not providers or any(p.get("type") != "file" or not p.get("options", {}).get("path") for p in providers):
        problems.append("%s: expected file providers with options.path" % PROVIDERS.relative_to(ROOT))
    return sources[0]["uid"]


def check_datasource(where, datasource, uid, problems):
    if not isinstance(datasource, dict) or datasource.get("uid") != uid or datasource.get("type") != "prometheus":
        problems.append("%s: datasource must be {type: prometheus, uid: %s}, is %r" % (where, uid, datasource))


def overlaps(a, b):
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def check_panel(name, panel, uid, variables, problems):
    where = "%s panel %r" % (name, panel.get("title"))
    if panel.get("type") not in PANEL_TYPES:
        problems.append("%s: unknown type %r" % (where, panel.get("type")))
    if not panel.get("title"):
        problems.append("%s: no title" % where)
    if panel.get("type") == "row":
        return
    check_datasource(where, panel.get("datasource"), uid, problems)
    targets = panel.get("targets") or []
    if not targets:
        problems.append("%s: no targets" % where)
    ref_ids = [target.get("refId") for target in targets]
    if len(set(ref_ids)) != len(ref_ids) or None in ref_ids:
        problems.append("%s: refIds must be present and unique, are %r" % (where, ref_ids))
    for target in targets:
        check_datasource("%s target %s" % (where, target.get("refId")), target.get("datasource"), uid, problems)
        expr = target.get("expr", "")
        if not expr.strip():
            problems.append("%s target %s: empty expr" % (where, target.get("refId")))
        for match in GRAFANA_VARIABLE.finditer(expr):
            variable = match.group(1) or match.group(2)
            if variable not in variables and variable not in GRAFANA_BUILTINS:
                problems.append("%s target %s: undefined variable $%s" % (where, target.get("refId"), variable))


def check_dashboard(name, dashboard, uid, problems):
    for key, kind in (("uid", str), ("title", str), ("schemaVersion", int), ("panels", list),
                      ("templating", dict), ("time", dict)):
        if not isinstance(dashboard.get(key), kind):
            problems.append("%s: %s must be a %s" % (name, key, kind.__name__))
    if isinstance(dashboard.get("uid"), str) and not UID_PATTERN.match(dashboard["uid"]):
        problems.append("%s: uid %r is not 1-40 letters, digits, - or _" % (name, dashboard["uid"]))
    if isinstance(dashboard.get("schemaVersion"), int) and not 36 <= dashboard["schemaVersion"] <= 41:
        problems.append("%s: schemaVersion %d is outside 36..41" % (name, dashboard["schemaVersion"]))
    variables = set()
    for variable in dashboard.get("templating", {}).get("list", []):
        variables.add(variable.get("name"))
        if variable.get("type") == "query":
            check_datasource("%s variable %s" % (name, variable.get("name")), variable.get("datasource"), uid, problems)
    panels = list(all_panels(dashboard))
    ids = [panel.get("id") for panel in panels]
    if len(set(ids)) != len(ids) or not all(isinstance(i, int) for i in ids):
        problems.append("%s: panel ids must be unique integers, are %r" % (name, ids))
    placed = []
    for panel in panels:
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            problems.append("%s panel %r: gridPos needs integer h, w, x, y" % (name, panel.get("title")))
            continue
        if grid["h"] < 1 or grid["w"] < 1 or grid["x"] < 0 or grid["y"] < 0 or grid["x"] + grid["w"] > 24:
            problems.append("%s panel %r: gridPos %r is outside the 24-column grid" % (name, panel.get("title"), grid))
        for other_title, other in placed:
            if overlaps(grid, other):
                problems.append("%s: panels %r and %r overlap" % (name, other_title, panel.get("title")))
        placed.append((panel.get("title"), grid))
        check_panel(name, panel, uid, variables, problems)


def check_promql_syntax(problems):
    """Feeds every query to `promtool check rules` as a recording rule, so PromQL syntax errors fail."""
    found = queries()
    rules = [{"record": "query_%d" % index, "expr": substitute_grafana_variables(query.expr)}
             for index, query in enumerate(found)]
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as file:
        yaml.safe_dump({"groups": [{"name": "queries", "rules": rules}]}, file)
        file.flush()
        try:
            run = subprocess.run(["promtool", "check", "rules", file.name], capture_output=True, text=True)
        except FileNotFoundError:
            problems.append("promtool not found on PATH: cannot check the queries' PromQL")
            return
    if run.returncode != 0:
        reported = False
        for line in (run.stdout + run.stderr).splitlines():
            match = re.search(r'"query_(\d+)": (.*)', line)
            if match:
                problems.append("%s: %s" % (found[int(match.group(1))].where, match.group(2)))
                reported = True
        if not reported:
            problems.append("promtool check rules failed on the queries: " + (run.stdout + run.stderr).strip())


def check():
    problems = []
    uid = provisioned_datasource_uid(problems)
    boards = dashboards()
    if len(boards) < 3:
        problems.append("%s: expected the three dashboards, found %s" % (DASHBOARDS.relative_to(ROOT), sorted(boards)))
    seen = {}
    for name, dashboard in boards.items():
        check_dashboard(name, dashboard, uid, problems)
        for key in ("uid", "title"):
            if dashboard.get(key) in seen.get(key, {}):
                problems.append("%s: %s %r is also used by %s" % (name, key, dashboard[key], seen[key][dashboard[key]]))
            seen.setdefault(key, {})[dashboard.get(key)] = name
    check_promql_syntax(problems)
    check_contract(problems)
    check_alert_tests(problems)
    check_alert_docs(problems)
    for message in problems:
        print(message, file=sys.stderr)
    print("observability check: %d dashboards, %d queries, %d alerts: %s"
          % (len(boards), len(queries()), len(alert_rules()), "%d problems" % len(problems) if problems else "ok"))
    return 1 if problems else 0


def main(argv):
    if argv == ["metrics-used"]:
        for name in used_metrics():
            if name not in PROMETHEUS_MADE:
                print(name)
        return 0
    if argv == ["check"]:
        return check()
    print("usage: observability.py metrics-used|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
