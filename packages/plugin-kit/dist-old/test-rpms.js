import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
/**
 * RPMs built with the host's rpmbuild from a directory of spec files, for
 * tests, samples and benchmarks. Built once per content of the specs and
 * their sources and kept, so every test file (and the next run) sees the same
 * bytes; concurrent makers race harmlessly (the first rename wins).
 */
export function buildRpms(options) {
    const specs = readdirSync(options.specDir)
        .filter((f) => f.endsWith('.spec'))
        .sort();
    const key = createHash('sha256');
    for (const spec of specs)
        key.update(spec).update(readFileSync(join(options.specDir, spec)));
    for (const [name, path] of Object.entries(options.sources ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
        key.update(name).update(sha256(readFileSync(path)));
    const dir = join(options.cacheDir ?? tmpdir(), `osbuild-ts-test-rpms-${key.digest('hex').slice(0, 16)}`);
    if (!existsSync(dir)) {
        const top = mkdtempSync(join(options.cacheDir ?? tmpdir(), 'osbuild-ts-rpmbuild-'));
        try {
            mkdirSync(join(top, 'SOURCES'));
            for (const [name, path] of Object.entries(options.sources ?? {}))
                copyFileSync(path, join(top, 'SOURCES', name));
            for (const spec of specs) {
                try {
                    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--define', '_buildhost osbuild-ts', '-bb', join(options.specDir, spec)], { stdio: 'pipe' });
                }
                catch (error) {
                    const stderr = String(error.stderr ?? '');
                    throw new Error(`rpmbuild -bb ${spec} failed:\n${stderr.split('\n').slice(-15).join('\n')}`, { cause: error });
                }
            }
            const staging = join(top, 'out');
            mkdirSync(staging);
            for (const arch of readdirSync(join(top, 'RPMS'))) {
                for (const file of readdirSync(join(top, 'RPMS', arch)))
                    copyFileSync(join(top, 'RPMS', arch, file), join(staging, file));
            }
            try {
                renameSync(staging, dir);
            }
            catch (error) {
                if (!existsSync(dir))
                    throw error;
            }
        }
        finally {
            rmSync(top, { recursive: true, force: true });
        }
    }
    return readdirSync(dir)
        .sort()
        .map((file) => ({
        name: file.replace(/-[^-]+-[^-]+\.[^.]+\.rpm$/, ''),
        file,
        source: join(dir, file),
        checksum: `sha256:${sha256(readFileSync(join(dir, file)))}`,
    }));
}
/**
 * Debian's statically linked busybox (package `busybox-static`), fetched
 * with `apt-get download` through the host's apt configuration and kept
 * under `/var/cache/osbuild-ts` (or `$XDG_CACHE_HOME/osbuild-ts`). Test RPM
 * sets package it as the `/bin/sh` their shell scriptlets run with inside a
 * tree; nothing is installed on the host.
 */
export function busyboxStatic() {
    const dir = join(process.env.XDG_CACHE_HOME || '/var/cache', 'osbuild-ts', 'busybox-static');
    const binary = join(dir, 'busybox');
    if (existsSync(binary))
        return binary;
    mkdirSync(join(dir, '..'), { recursive: true });
    const work = mkdtempSync(join(join(dir, '..'), 'busybox-static-'));
    try {
        execFileSync('apt-get', ['download', '-q', 'busybox-static'], { cwd: work, stdio: 'pipe' });
        const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
        if (!deb)
            throw new Error('apt-get download busybox-static wrote no .deb');
        execFileSync('dpkg-deb', ['-x', join(work, deb), join(work, 'x')], { stdio: 'pipe' });
        mkdirSync(join(work, 'out'));
        copyFileSync(join(work, 'x', 'bin', 'busybox'), join(work, 'out', basename(binary)));
        try {
            renameSync(join(work, 'out'), dir);
        }
        catch (error) {
            if (!existsSync(binary))
                throw error;
        }
    }
    finally {
        rmSync(work, { recursive: true, force: true });
    }
    return binary;
}
//# sourceMappingURL=test-rpms.js.map