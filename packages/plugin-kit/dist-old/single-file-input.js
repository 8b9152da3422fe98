import { existsSync } from 'node:fs';
import { posix } from 'node:path';
/**
 * The one file of a files input (`org.osbuild.files`, whose files are
 * named by checksum in its directory), as stages that take a single file
 * (`untar`, `gunzip`, `xz`, `zstd`) need it. `what` says what the file is
 * for, in the error messages.
 */
export function singleFileInput(args, name = 'file', what = 'the file to work on') {
    const input = args.inputs[name];
    if (!input) {
        const names = Object.keys(args.inputs).join(', ') || 'none';
        throw new Error(`no input named "${name}" (inputs: ${names}); ${what} is inputs.${name}, an org.osbuild.files input`);
    }
    const files = Object.keys(input.data?.files ?? {});
    if (files.length !== 1) {
        throw new Error(`inputs.${name} must hold exactly one file, ${what}; it holds ${files.length}${files.length > 0 ? ` (${files.join(', ')})` : ''}`);
    }
    const [file] = files;
    if (file.includes('/') || file === '..' || file === '.')
        throw new Error(`inputs.${name}: "${file}" is not a file name`);
    const path = posix.join(input.path, file);
    if (!existsSync(path))
        throw new Error(`inputs.${name}: ${file} is listed but not in ${input.path}`);
    return path;
}
/**
 * Where a stage writes its output file: `filename` inside the tree, a
 * leading `/` ignored as upstream does. A name that would land outside the
 * tree, or that names a directory, is refused; upstream would write there.
 */
export function outputPath(tree, filename, option = 'filename') {
    const relative = posix.normalize(filename.replace(/^\/+/, ''));
    if (relative === '.' || relative === '' || relative.endsWith('/'))
        throw new Error(`${option} "${filename}" names a directory, not a file`);
    if (relative === '..' || relative.startsWith('../'))
        throw new Error(`${option} "${filename}" leaves the tree`);
    return posix.join(tree, relative);
}
//# sourceMappingURL=single-file-input.js.map