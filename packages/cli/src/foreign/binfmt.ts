/**
 * Foreign architectures: a stage that runs another architecture's binaries
 * (an arm64 Debian tree built on amd64) needs the kernel to hand them to
 * qemu-user. For the build, `osbuild` registers qemu-user-static with
 * binfmt_misc under a name of its own, with the F flag (the kernel opens the
 * interpreter at registration, so it works inside the sandbox and chroots
 * that lack it), and removes exactly that registration afterwards. A
 * registration that already handles the architecture with F is used as it
 * is; nothing it did not make is changed.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';

const BINFMT = '/proc/sys/fs/binfmt_misc';

interface Format {
  qemu: string;
  magic: string;
  mask: string;
}

/** qemu-user's ELF patterns (from qemu's scripts/qemu-binfmt-conf.sh), by dpkg architecture. */
const FORMATS: Record<string, Format> = {
  arm64: {
    qemu: 'aarch64',
    magic: '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  },
  armhf: {
    qemu: 'arm',
    magic: '\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  },
  amd64: {
    qemu: 'x86_64',
    magic: '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x3e\\x00',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  },
  riscv64: {
    qemu: 'riscv64',
    magic: '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  },
};

/** What this machine runs natively, as dpkg names it. */
export function nativeArchitectures(): string[] {
  switch (process.arch) {
    case 'x64':
      return ['amd64', 'i386'];
    case 'arm64':
      return ['arm64'];
    case 'arm':
      return ['armhf', 'armel'];
    default:
      return [process.arch];
  }
}

function binfmtMounted(): boolean {
  return existsSync(join(BINFMT, 'register'));
}

/** An enabled registration with the F flag whose interpreter is this qemu. */
function usableRegistration(qemu: string): string | undefined {
  for (const name of readdirSync(BINFMT)) {
    // Another osbuild's entry goes when that build ends: never rely on it.
    if (name === 'register' || name === 'status' || name.startsWith('osbuild-ts-')) continue;
    let text: string;
    try {
      text = readFileSync(join(BINFMT, name), 'utf8');
    } catch {
      continue;
    }
    const enabled = /^enabled$/m.test(text);
    const interpreter = /^interpreter (.*)$/m.exec(text)?.[1] ?? '';
    const flags = /^flags: ?(.*)$/m.exec(text)?.[1] ?? '';
    if (enabled && flags.includes('F') && new RegExp(`/qemu-${qemu}(-static)?$`).test(interpreter)) return name;
  }
  return undefined;
}

export interface Registration {
  /** Entries made by this run (to remove). */
  made: string[];
  /** Lines for the log. */
  notes: string[];
}

/** Whether a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Entries of earlier runs that were killed before they could remove theirs
 * (SIGKILL): `osbuild-ts-<pid>-<qemu>` whose process is gone. Only our own
 * naming is looked at.
 */
function removeOrphans(): void {
  for (const name of readdirSync(BINFMT)) {
    const m = /^osbuild-ts-(\d+)-[a-z0-9_]+$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      writeFileSync(join(BINFMT, name), '-1');
    } catch {
      // Another run removed it first.
    }
  }
}

/** Makes every foreign architecture in `architectures` runnable; undo with `unregister`. */
export function registerForeign(architectures: Iterable<string>, where: (arch: string) => string): Registration {
  const native = new Set(nativeArchitectures());
  const foreign = [...new Set(architectures)].filter((a) => !native.has(a)).sort();
  const registration: Registration = { made: [], notes: [] };
  if (foreign.length === 0) return registration;
  try {
    for (const arch of foreign) {
      const format = FORMATS[arch];
      if (!format) {
        throw new OsbuildError('E_HOST_UNSUPPORTED', `${where(arch)} builds for ${arch}, which this ${nativeArchitectures()[0]} machine cannot run and osbuild-ts has no qemu-user mapping for (known: ${Object.keys(FORMATS).join(', ')})`);
      }
      const interpreter = `/usr/bin/qemu-${format.qemu}-static`;
      if (!existsSync(interpreter)) {
        throw new OsbuildError('E_TOOL_MISSING', `${where(arch)} builds for ${arch}: it runs ${arch} programs through ${interpreter}, which is not installed`, {
          hint: 'apt-get install qemu-user-static',
        });
      }
      if (!binfmtMounted()) {
        try {
          // Required here, not imported: child_process (with net and streams) is a cost every start would pay for this rare path.
          const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
          execFileSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT], { stdio: 'pipe' });
        } catch (error) {
          const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
          throw new OsbuildError('E_HOST_UNSUPPORTED', `${where(arch)} builds for ${arch}, which needs binfmt_misc, and ${BINFMT} cannot be mounted: ${stderr || (error as Error).message}`, {
            hint: 'load the binfmt_misc module (modprobe binfmt_misc) or build on a machine that runs the architecture natively',
          });
        }
      }
      removeOrphans();
      const existing = usableRegistration(format.qemu);
      if (existing) {
        registration.notes.push(`${arch}: using the existing binfmt_misc entry ${existing}`);
        continue;
      }
      const name = `osbuild-ts-${process.pid}-${format.qemu}`;
      try {
        writeFileSync(join(BINFMT, 'register'), `:${name}:M::${format.magic}:${format.mask}:${interpreter}:F`);
      } catch (error) {
        throw new OsbuildError('E_HOST_UNSUPPORTED', `${where(arch)} builds for ${arch}, and registering ${interpreter} with binfmt_misc failed: ${(error as Error).message}`, {
          hint: 'osbuild must run as root where binfmt_misc is writable',
        });
      }
      registration.made.push(name);
      registration.notes.push(`${arch}: registered ${interpreter} as binfmt_misc entry ${name} (F) for this build`);
    }
  } catch (error) {
    unregister(registration);
    throw error;
  }
  return registration;
}

/** Removes the entries this run made (and only those); safe to call twice. */
export function unregister(registration: Registration): void {
  for (const name of registration.made.splice(0)) {
    try {
      writeFileSync(join(BINFMT, name), '-1');
    } catch {
      // Already gone.
    }
  }
}
