import { captureTool } from '@osbuild-ts/plugin-kit';

const REQUIRED = [
  ['name', 'NAME'],
  ['version', 'VERSION'],
  ['release', 'RELEASE'],
] as const;
const OPTIONAL = [
  ['epoch', 'EPOCH'],
  ['arch', 'ARCH'],
  ['sigmd5', 'SIGMD5'],
  ['sha1header', 'SHA1HEADER'],
  ['sha256header', 'SHA256HEADER'],
  ['sha3_256header', 'SHA3_256HEADER'],
  ['sigpgp', 'SIGPGP'],
  ['siggpg', 'SIGGPG'],
] as const;

// Field and record separators rpm's --queryformat passes through verbatim
// and that no tag value of these holds (names, versions, hex digests).
const FIELD = '\u001f';
const RECORD = '\u001e';
const NULL = '\u0001';

export type PackageMetadata = Record<(typeof REQUIRED)[number][0] | (typeof OPTIONAL)[number][0], string | null>;

/**
 * The installed packages as osbuild's rpm stage reports them: name, version,
 * release, then epoch, arch, the header digests and signatures (null when a
 * package has none, or when this rpm does not know the tag), sorted by name.
 */
export function installedPackages(tree: string, rpmArgs: string[]): PackageMetadata[] {
  const known = new Set(captureTool('rpm', ['--querytags']).split(/\s+/));
  const fields = [
    ...REQUIRED.map(([, tag]) => `%{${tag}}`),
    ...OPTIONAL.map(([, tag]) => (known.has(tag) ? `%|${tag}?{%{${tag}}}:{${NULL}}|` : NULL)),
  ];
  const out = captureTool('rpm', [...rpmArgs, '-qa', '--root', tree, `--qf=${fields.join(FIELD)}${RECORD}`]);
  const keys = [...REQUIRED, ...OPTIONAL].map(([key]) => key);
  const packages = out
    .split(RECORD)
    .filter((record) => record.length > 0)
    .map((record) => {
      const values = record.split(FIELD);
      return Object.fromEntries(keys.map((key, i) => [key, values[i] === NULL || values[i] === undefined ? null : values[i]])) as PackageMetadata;
    });
  // A stable sort by name, as Python's sorted(key=itemgetter("name")).
  return packages.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
}
