#!/usr/bin/env node
// The rpm-local sample (see samples/README.md): RPMs built here with
// rpmbuild, a yum repository of them (createrepo_c) served on 127.0.0.1,
// osbuild-depsolve-dnf pinning hello-app and what it needs into
// manifest.json, and our osbuild building the tree from it.
//
//   node samples/rpm-local/build.mjs
//     OUTPUT  where the repository, the pinned manifest and the tree go (default output/rpm-local)
//     STORE   the osbuild store (default .osbuild)
import { spawn } from 'node:child_process';
import { copyFileSync, createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..', '..');
const out = process.env.OUTPUT ?? join(root, 'output', 'rpm-local');
const store = process.env.STORE ?? join(root, '.osbuild');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const { buildRpms, busyboxStatic } = await import(join(root, 'packages', 'plugin-kit', 'dist', 'testing.js'));

// Asynchronous: the repository's server runs in this process.
async function step(command, args) {
  console.log(`+ ${[command, ...args].join(' ')}`);
  const status = await new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (status !== 0) {
    console.error(`${command} failed (exit status ${status})`);
    process.exit(1);
  }
}

// 1. The RPMs. hello-sh packages Debian's static busybox (fetched with
//    apt-get download, nothing installed) as the tree's /bin/sh, which
//    hello-app's shell %post needs; rpmbuild adds that requirement itself.
console.log('+ rpmbuild -bb rpms/*.spec');
const rpms = buildRpms({ specDir: join(here, 'rpms'), sources: { busybox: busyboxStatic() } });
const repo = join(out, 'repo');
rmSync(repo, { recursive: true, force: true });
mkdirSync(join(repo, 'Packages'), { recursive: true });
for (const rpm of rpms) copyFileSync(rpm.source, join(repo, 'Packages', rpm.file));
await step('createrepo_c', ['--no-database', repo]);

// 2. Served on 127.0.0.1 (a port of the kernel's choosing) for as long as
//    the pin and the build fetch from it.
const server = createServer((req, res) => {
  const path = join(repo, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  let size;
  try {
    size = path.startsWith(`${repo}/`) && statSync(path).isFile() ? statSync(path).size : undefined;
  } catch {
    size = undefined;
  }
  if (size === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-length': size });
  createReadStream(path).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
server.url = `http://127.0.0.1:${server.address().port}`;
try {
  const manifest = join(out, 'manifest.json');
  await step(bin('osbuild-depsolve-dnf'), ['--template', join(here, 'manifest.in.json'), '--output', manifest, '--releasever', '1', '--baseurl', `local=${server.url}/`, '--name', 'hello', 'hello-app']);
  await step(bin('osbuild'), ['--store', store, '--export', 'tree', '--output-directory', out, manifest]);
} finally {
  await new Promise((resolve) => server.close(resolve));
}
console.log(`\nBuilt ${join(out, 'tree')}. Its packages:\n`);
await step('rpm', ['--root', join(out, 'tree'), '--dbpath', '/var/lib/rpm', '-qa']);
