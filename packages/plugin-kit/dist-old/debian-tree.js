import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// Bump when the way trees are made changes, so old tarballs are not reused.
const RECIPE_VERSION = 1;
const STALE_LOCK_MS = 15 * 60_000;
/**
 * Host-independent, reproducible trees: a fixed SOURCE_DATE_EPOCH, none of
 * the host's resolv.conf or hostname (mmdebstrap copies both in), and no
 * documentation, manuals or translations, which only make copies slower.
 */
const SOURCE_DATE_EPOCH = '1700000000';
const RECIPE_ARGS = [
    '--aptopt=Acquire::Check-Valid-Until "false"',
    '--dpkgopt=path-exclude=/usr/share/doc/*',
    '--dpkgopt=path-exclude=/usr/share/man/*',
    '--dpkgopt=path-exclude=/usr/share/info/*',
    '--dpkgopt=path-exclude=/usr/share/locale/*',
    '--customize-hook=rm -f "$1/etc/resolv.conf"',
    '--customize-hook=rm -f "$1/etc/hostname" && echo localhost > "$1/etc/hostname" && chmod 0644 "$1/etc/hostname"',
];
/**
 * Why this machine cannot make Debian trees for tests, or null when it can:
 * that needs root (trees hold files of many owners) and mmdebstrap.
 */
export function debianTreeUnavailable() {
    if (process.getuid?.() !== 0)
        return 'making a Debian tree needs root';
    for (const command of ['mmdebstrap', 'tar']) {
        if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status !== 0) {
            return `making a Debian tree needs ${command} (Debian package ${command})`;
        }
    }
    if (aptSourceFiles().length === 0)
        return 'making a Debian tree needs the host\'s apt sources (/etc/apt/sources.list or sources.list.d)';
    return null;
}
/**
 * The path of a tarball of a Debian tree made with mmdebstrap from the
 * host's apt sources, made on first use and cached under a name derived
 * from the options, the sources and the architecture. Processes that ask at
 * the same time wait for one maker; the tarball appears whole or not at all.
 */
export async function debianTreeTarball(options = {}) {
    const cacheDir = options.cacheDir ?? join(process.env.XDG_CACHE_HOME || '/var/cache', 'osbuild-ts', 'test-trees');
    mkdirSync(cacheDir, { recursive: true });
    const args = mmdebstrapArguments(options);
    const sources = aptSourceFiles();
    const key = createHash('sha256')
        .update(JSON.stringify({ recipe: RECIPE_VERSION, args, arch: architecture(), sources: sources.map((f) => readFileSync(f, 'utf8')) }))
        .digest('hex')
        .slice(0, 24);
    const tarball = join(cacheDir, `${key}.tar`);
    const lock = join(cacheDir, `${key}.lock`);
    for (;;) {
        if (existsSync(tarball))
            return tarball;
        if (takeLock(lock))
            break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    try {
        if (existsSync(tarball))
            return tarball;
        const partial = join(cacheDir, `${key}.partial-${process.pid}.tar`);
        try {
            await run('mmdebstrap', [...args, partial, ...sources], { SOURCE_DATE_EPOCH });
            renameSync(partial, tarball);
        }
        finally {
            rmSync(partial, { force: true });
        }
        return tarball;
    }
    finally {
        rmSync(lock, { recursive: true, force: true });
    }
}
/**
 * Makes `target` (created if missing) a Debian tree: the cached tarball of
 * debianTreeTarball, extracted with owners, modes and device nodes.
 */
export async function makeDebianTree(target, options = {}) {
    const tarball = await debianTreeTarball(options);
    mkdirSync(target, { recursive: true });
    await run('tar', ['--extract', '--file', tarball, '--directory', target, '--numeric-owner', '--preserve-permissions', '--same-owner']);
}
/**
 * Copies a tree to `target` (which must not exist) with owners, modes,
 * links and device nodes: `cp -a`, sharing blocks where the filesystem can.
 */
export async function copyTree(tree, target) {
    await run('cp', ['-a', '--reflink=auto', '--no-target-directory', tree, target]);
}
/** The mmdebstrap arguments before the target and the mirrors. */
function mmdebstrapArguments(options) {
    const include = [...new Set(options.include ?? [])].sort();
    return [
        '--mode=root',
        '--format=tar',
        `--variant=${options.variant ?? 'minbase'}`,
        ...(include.length > 0 ? [`--include=${include.join(',')}`] : []),
        ...RECIPE_ARGS,
        options.suite ?? 'bookworm',
    ];
}
/**
 * The host's apt source files; mmdebstrap pastes each into the new tree's
 * sources, so no mirror is named here.
 */
function aptSourceFiles() {
    const files = [];
    const list = '/etc/apt/sources.list';
    if (existsSync(list) && /^\s*deb\s/m.test(readFileSync(list, 'utf8')))
        files.push(list);
    const dir = '/etc/apt/sources.list.d';
    if (existsSync(dir)) {
        for (const name of readdirSync(dir).sort()) {
            if (name.endsWith('.list') || name.endsWith('.sources'))
                files.push(join(dir, name));
        }
    }
    return files;
}
function architecture() {
    const result = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : process.arch;
}
/** mkdir is atomic: whoever creates the directory makes the tarball. A lock left by a dead maker expires. */
function takeLock(lock) {
    try {
        mkdirSync(lock);
        writeFileSync(join(lock, 'pid'), String(process.pid));
        return true;
    }
    catch (error) {
        if (error.code !== 'EEXIST')
            throw error;
        if (lockIsStale(lock))
            rmSync(lock, { recursive: true, force: true });
        return false;
    }
}
function lockIsStale(lock) {
    let age;
    try {
        age = Date.now() - statSync(lock).mtimeMs;
    }
    catch {
        return false; // gone meanwhile: try again
    }
    let pid;
    try {
        pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    }
    catch {
        // The maker is between mkdir and writing its pid, or died there.
        return age > 60_000;
    }
    try {
        process.kill(pid, 0);
    }
    catch (error) {
        if (error.code === 'ESRCH')
            return true;
    }
    return age > STALE_LOCK_MS;
}
function run(command, args, env = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        // Shown only on failure: the end holds the reason.
        const keep = (chunk) => {
            output = (output + chunk.toString('utf8')).slice(-8000);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
        child.on('close', (code, signal) => {
            if (code === 0)
                resolve();
            else
                reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit status ${code}`}):\n${output.trimEnd()}`));
        });
    });
}
//# sourceMappingURL=debian-tree.js.map