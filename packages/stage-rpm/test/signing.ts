import { execFileSync } from 'node:child_process';

export interface SigningKey {
  /** The public key, ASCII-armored: what options.gpgkeys takes. */
  armored: string;
  /** Signs an RPM file in place with `rpmsign --addsign`. */
  sign(file: string): void;
}

/** A fresh RSA signing key in GNUPGHOME `home` (an empty directory), no passphrase. */
export function makeSigningKey(home: string, uid = 'osbuild-ts test <rpm-test@osbuild-ts.invalid>'): SigningKey {
  const env = { ...process.env, GNUPGHOME: home };
  execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', uid, 'rsa2048', 'sign', 'never'], { env, stdio: 'pipe' });
  const armored = execFileSync('gpg', ['--batch', '--armor', '--export', uid], { env, encoding: 'utf8' });
  return {
    armored,
    sign(file) {
      execFileSync('rpmsign', ['--define', `_gpg_name ${uid}`, '--define', '__gpg /usr/bin/gpg', '--addsign', file], { env, stdio: 'pipe' });
    },
  };
}

