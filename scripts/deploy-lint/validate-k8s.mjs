// Type-checks Kubernetes manifests (multi-document YAML files, e.g. `helm template` output) against the
// Kubernetes API schemas of kubernetes-models and the prometheus-operator and cert-manager CRD schemas, offline.
// Usage: node validate-k8s.mjs FILE...   Exit status: 0 every object valid, 1 an invalid or unknown object.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

// apiVersion -> the module that holds its models; an apiVersion outside this list is an error, never skipped.
const groupModule = (apiVersion) => {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  }
  if (apiVersion.startsWith("cert-manager.io/")) {
    return `@kubernetes-models/cert-manager/${apiVersion}`;
  }
  return `kubernetes-models/${apiVersion}`;
};

const problems = [];
let checked = 0;
for (const file of process.argv.slice(2)) {
  const documents = yaml.loadAll(readFileSync(file, "utf8")).filter((document) => document != null);
  for (const object of documents) {
    const where = `${file}: ${object.kind ?? "?"} ${object.metadata?.name ?? "?"}`;
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      problems.push(`${where}: no apiVersion or kind`);
      continue;
    }
    let model;
    try {
      model = (await import(groupModule(object.apiVersion)))[object.kind];
    } catch (error) {
      problems.push(`${where}: unknown apiVersion ${object.apiVersion} (${error.code ?? error.message})`);
      continue;
    }
    if (typeof model !== "function") {
      problems.push(`${where}: unknown kind ${object.kind} in ${object.apiVersion}`);
      continue;
    }
    try {
      new model(object).validate();
      checked++;
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
  }
}
for (const problem of problems) {
  console.error(`validate-k8s: ${problem}`);
}
console.log(`validate-k8s: ${checked} objects valid, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
