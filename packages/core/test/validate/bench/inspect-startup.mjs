// One `--inspect`-like start: discover plugins from a project directory, read
// a manifest, validate it. Usage: node inspect-startup.mjs <core dist dir> <project dir> <manifest>
import { readFileSync } from 'node:fs';

const [dist, projectDir, manifestFile] = process.argv.slice(2);
const { discoverPlugins } = await import(`${dist}/plugins/index.js`);
const { validateManifest } = await import(`${dist}/validate/index.js`);

// JSON → PyJson-ish Maps; good enough here (number kinds do not matter for timing).
const toPy = (v) =>
  Array.isArray(v) ? v.map(toPy) : v !== null && typeof v === 'object' ? new Map(Object.entries(v).map(([k, x]) => [k, toPy(x)])) : v;

const registry = await discoverPlugins(projectDir);
const issues = validateManifest(toPy(JSON.parse(readFileSync(manifestFile, 'utf8'))), registry);
if (issues.length > 0 || process.env.BENCH_VERBOSE) console.log(registry.discovery.fromCache, issues);
