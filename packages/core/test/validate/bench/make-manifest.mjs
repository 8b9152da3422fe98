// Writes a 40-stage v2 manifest using the fixture modules (stages, inputs,
// devices, mounts, sources), for timing --inspect-like starts.
import { writeFileSync } from 'node:fs';

const sha = (n) => `sha256:${String(n).padStart(64, '0')}`;
const stages = [];
for (let i = 0; i < 40; i++) {
  switch (i % 8) {
    case 0: stages.push({ type: 'org.osbuild.rpm', inputs: { packages: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [sha(i)] } }, options: { gpgkeys: ['k'], exclude: { docs: true } } }); break;
    case 1: stages.push({ type: 'org.osbuild.mkdir', options: { paths: [{ path: `/srv/d${i}`, mode: 493, parents: true }] } }); break;
    case 2: stages.push({ type: 'org.osbuild.hostname', options: { hostname: `h${i}` } }); break;
    case 3: stages.push({ type: 'org.osbuild.users', options: { users: { [`u${i}`]: { uid: 1000 + i, groups: ['wheel'] } } } }); break;
    case 4: stages.push({ type: 'org.osbuild.systemd', options: { enabled_services: ['sshd.service'] } }); break;
    case 5: stages.push({ type: 'org.osbuild.copy', inputs: { t: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:build'] } }, options: { paths: [{ from: 'input://t/', to: 'mount://root/' }] }, devices: { root: { type: 'org.osbuild.loopback', options: { filename: 'disk.img', start: 2048 } } }, mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }] }); break;
    case 6: stages.push({ type: 'org.osbuild.fstab', options: { filesystems: [{ uuid: '76a22bf4-f153-4541-b6c7-0332c0dfaeac', vfs_type: 'ext4', path: '/' }] } }); break;
    default: stages.push({ type: 'org.osbuild.locale', options: { language: 'C.UTF-8' } });
  }
}
const items = Object.fromEntries(stages.map((_, i) => [sha(i), `file:///pool/p${i}.rpm`]));
const manifest = {
  version: '2',
  sources: { 'org.osbuild.curl': { items } },
  pipelines: [{ name: 'build', runner: 'org.osbuild.fedora38', stages: [{ type: 'org.osbuild.noop' }] }, { name: 'os', build: 'name:build', stages }],
};
writeFileSync(process.argv[2], JSON.stringify(manifest, null, 2));
