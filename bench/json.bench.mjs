// Core's JSON model on a realistic 40-stage manifest: parse, sorted dumps and
// load (all ids), each beside V8's JSON.parse/JSON.stringify of the same text
// measured in the same run (our parser must keep Python's semantics: ints of
// any size, float/int distinction, key order — JSON.parse cannot).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const core = await import(pathToFileURL(join(import.meta.dirname, '..', 'packages', 'core', 'dist', 'index.js')).href);
const { parsePyJson, dumpsPy, loadManifest, describeManifest } = core;

function fortyStageManifest() {
  const checksum = (i) => `sha256:${i.toString(16).padStart(64, '0')}`;
  const stages = Array.from({ length: 40 }, (_, i) => ({
    type: `org.osbuild.stage${i % 7}`,
    options: {
      paths: [{ path: `/srv/${i}`, mode: 493, parents: true }],
      label: `stage ${i} — ünïcode`,
      ratio: i / 7,
      nested: { a: [1, 2, 3], b: { c: null, d: true } },
    },
    inputs: { packages: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [checksum(i), checksum(i + 100)] } },
    devices: { disk: { type: 'org.osbuild.loopback', options: { filename: 'disk.img', start: 2048 * i, size: 204800 } } },
    mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'disk', target: '/' }],
  }));
  const items = Object.fromEntries(Array.from({ length: 140 }, (_, i) => [checksum(i), { url: `http://127.0.0.1:8000/p${i}.rpm` }]));
  return JSON.stringify({ version: '2', pipelines: [{ name: 'os', stages }], sources: { 'org.osbuild.curl': { items } } }, null, 2);
}

function median(runs, fn) {
  for (let i = 0; i < 50; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const text = fortyStageManifest();
const doc = parsePyJson(text);
const plain = JSON.parse(text);
const jsParse = median(300, () => JSON.parse(text));
const jsStringify = median(300, () => JSON.stringify(plain));
const parse = median(300, () => parsePyJson(text));
const dumps = median(300, () => dumpsPy(doc, { sortKeys: true }));
const load = median(100, () => loadManifest(doc, { hostRunner: 'org.osbuild.debian' }));
const inspect = median(100, () => dumpsPy(describeManifest(loadManifest(doc, { hostRunner: 'org.osbuild.debian' }))));
const f = (x) => `${x.toFixed(3)} ms`;
console.log(`40-stage manifest, ${text.length} chars (medians)`);
console.log(`JSON.parse (baseline)        ${f(jsParse)}`);
console.log(`parsePyJson                  ${f(parse)}  = ${(parse / jsParse).toFixed(1)}× JSON.parse`);
console.log(`JSON.stringify (baseline)    ${f(jsStringify)}`);
console.log(`dumpsPy sorted               ${f(dumps)}  = ${(dumps / jsStringify).toFixed(1)}× JSON.stringify`);
console.log(`loadManifest (all ids)       ${f(load)}`);
console.log(`load + describe + dumps      ${f(inspect)}`);
