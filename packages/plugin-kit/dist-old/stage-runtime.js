import { accessSync, closeSync, constants, existsSync, lstatSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { createRequire } from "node:module";
// dist/parse-arguments.js
/**
* JSON.parse for documents written by Python's json module, which may hold
* the literals NaN, Infinity and -Infinity (osbuild passes manifest options
* through as written). Those tokens, outside strings, become sentinels that
* a reviver turns back into the numbers.
*/
const SENTINEL = "\0osbuild-ts:";
/** The same, as written inside a JSON string (a raw NUL is not allowed there). */
const SENTINEL_IN_JSON = "\\u0000osbuild-ts:";
function parsePythonJson(text) {
	let out = "";
	let last = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === "\"") {
			for (i++; i < text.length && text[i] !== "\""; i++) if (text[i] === "\\") i++;
			continue;
		}
		const token = c === "N" && text.startsWith("NaN", i) ? "NaN" : c === "I" && text.startsWith("Infinity", i) ? "Infinity" : c === "-" && text.startsWith("-Infinity", i) ? "-Infinity" : null;
		if (token) {
			out += `${text.slice(last, i)}"${SENTINEL_IN_JSON}${token}"`;
			i += token.length - 1;
			last = i + 1;
		}
	}
	if (last === 0) return JSON.parse(text);
	out += text.slice(last);
	return JSON.parse(out, (_key, value) => typeof value === "string" && value.startsWith(SENTINEL) ? Number(value.slice(12)) : value);
}
// dist/arguments.js
/** Where the sandbox puts things; the test harness points these elsewhere. */
const ARGUMENTS_PATH = "/run/osbuild/api/arguments";
const META_PATH = "/run/osbuild/meta";
function argumentsPath() {
	return process.env.OSBUILD_ARGUMENTS_FILE ?? "/run/osbuild/api/arguments";
}
/** Reads the arguments from the api file, or from stdin where there is none. */
function readArguments() {
	const path = argumentsPath();
	const doc = parsePythonJson(existsSync(path) ? readFileSync(path, "utf8") : readFileSync(0, "utf8"));
	return {
		tree: doc.tree ?? "/run/osbuild/tree",
		paths: doc.paths ?? {
			devices: "/dev",
			inputs: "/run/osbuild/inputs",
			mounts: "/run/osbuild/mounts"
		},
		devices: doc.devices ?? {},
		inputs: doc.inputs ?? {},
		mounts: doc.mounts ?? {},
		options: doc.options ?? {},
		meta: doc.meta ?? { id: "" }
	};
}
// dist/metadata.js
/**
* Records the stage's metadata (one JSON object). The engine stores it with
* the object and reports it in `--json` results; a later call replaces it.
*/
function writeMetadata(metadata) {
	writeFileSync(process.env.OSBUILD_META_FILE ?? "/run/osbuild/meta", JSON.stringify(metadata));
}
// dist/paths.js
/**
* Turns an osbuild location (`tree:///p`, `mount://name/p`, `input://name/p`,
* or a plain path meaning the tree) into a path in the sandbox. Refuses
* locations that climb out of their root with `..`.
*/
function resolveLocation(args, location) {
	return locationParts(args, location).path;
}
/** A location's root (the tree, a mount's or an input's directory) and the path it names under it. */
function locationParts(args, location) {
	const match = /^(tree|mount|input):\/\/([^/]*)(\/.*)?$/.exec(location);
	let root;
	let rest;
	if (!match) {
		root = args.tree;
		rest = location;
	} else {
		const [, scheme, name, path] = match;
		rest = path ?? "/";
		if (scheme === "tree") {
			if (name !== "") throw new Error(`${location}: tree:// takes no name (write tree:///path)`);
			root = args.tree;
		} else if (scheme === "mount") {
			const mount = args.mounts[name];
			if (!mount) throw new Error(`${location}: no mount named "${name}" (mounts: ${Object.keys(args.mounts).join(", ") || "none"})`);
			root = mount.path;
		} else {
			const input = args.inputs[name];
			if (!input) throw new Error(`${location}: no input named "${name}" (inputs: ${Object.keys(args.inputs).join(", ") || "none"})`);
			root = input.path;
		}
	}
	const normal = posix.normalize("/" + rest);
	const climbing = posix.normalize(rest.replace(/^\/+/, "") || ".");
	if (climbing === ".." || climbing.startsWith("../")) process.stdout.write(`WARNING: ${location}: ".." above the root of the location is ignored; using ${posix.join(root, normal)}\n`);
	if (normal.split("/").includes("..")) throw new Error(`${location}: path leaves its root`);
	return {
		root,
		path: posix.join(root, normal)
	};
}
/**
* Refuses a path under `root` whose existing components include a symlink
* that leads out of `root` (an absolute link, or one climbing with `..`,
* left by an earlier stage or an archive): writing through it would put
* files outside the tree, in the sandbox or on the host, and lose them.
* Components that do not exist yet are fine (they will be made inside).
* The message names `what` (the option or member) and the link.
*/
function refuseLinksOut(root, path, what) {
	const relative = posix.relative(root, path);
	if (relative === "" || relative.startsWith("..")) return;
	const realRoot = realpathSync(root);
	let current = root;
	for (const part of relative.split("/")) {
		current = posix.join(current, part);
		let link;
		try {
			if (!lstatSync(current).isSymbolicLink()) continue;
			link = readlinkSync(current);
		} catch {
			return;
		}
		let target;
		try {
			target = realpathSync(current);
		} catch {
			target = posix.resolve(realpathSync(posix.dirname(current)), link);
		}
		if (!isWithin(realRoot, target)) throw new Error(`${what}: refused: ${posix.relative(root, current)} is a symlink to ${link}, which leads out of ${root}; nothing was written through it`);
	}
}
function isWithin(root, target) {
	const relative = posix.relative(root, target);
	return relative === "" || relative !== ".." && !relative.startsWith("../") && !posix.isAbsolute(relative);
}
// dist/device-path.js
/**
* The path of the device the manifest names `name` in the stage's `devices`
* (upstream's disk stages all use `device`); `role` says what the stage wants
* it for, in the error when it is missing. A regular file serves too
* (upstream's own tests use one), so only a missing path or a directory is
* refused.
*/
function devicePath(args, name, role) {
	const device = args.devices[name];
	if (!device) {
		const names = Object.keys(args.devices).join(", ") || "none";
		throw new Error(`no device named "${name}" (devices: ${names}); ${role} is devices.${name}, e.g. an org.osbuild.loopback device`);
	}
	let isDirectory;
	try {
		isDirectory = statSync(device.path).isDirectory();
	} catch {
		throw new Error(`devices.${name}: ${device.path} does not exist`);
	}
	if (isDirectory) throw new Error(`devices.${name}: ${device.path} is a directory, not a device`);
	return device.path;
}
// dist/run-tool.js
let loaded;
function childProcess() {
	return loaded ??= createRequire(import.meta.url)("node:child_process");
}
/**
* Runs a tool from the build root (`/usr` in the sandbox), streaming its output
* into the stage's output. A non-zero exit throws, naming the command.
*/
function runTool(command, args, options = {}) {
	const out = options.stdoutFile === void 0 ? "inherit" : openSync(options.stdoutFile, "w");
	let result;
	try {
		result = childProcess().spawnSync(command, args, {
			cwd: options.cwd,
			env: {
				...process.env,
				...options.env
			},
			input: options.input,
			stdio: [
				options.input === void 0 ? "inherit" : "pipe",
				out,
				"inherit"
			]
		});
	} finally {
		if (typeof out === "number") closeSync(out);
	}
	if (result.error) throw new Error(`${command}: ${result.error.message}`);
	if (result.status !== 0) {
		const how = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
		throw new Error(`${[command, ...args].join(" ")} failed (${how})`);
	}
}
/** Like runTool, but returns stdout (stderr still streams). */
function captureTool(command, args, options = {}) {
	const result = childProcess().spawnSync(command, args, {
		cwd: options.cwd,
		env: {
			...process.env,
			...options.env
		},
		input: options.input,
		encoding: "utf8",
		stdio: [
			"pipe",
			"pipe",
			"inherit"
		]
	});
	if (result.error) throw new Error(`${command}: ${result.error.message}`);
	if (result.status !== 0) throw new Error(`${[command, ...args].join(" ")} failed (exit status ${result.status})`);
	return result.stdout;
}
// dist/device-geometry.js
/** The device's sector size and length; a regular file counts in 512-byte sectors, as sfdisk does. */
function deviceGeometry(path) {
	const st = statSync(path);
	if (st.isFile()) return {
		sectorSize: 512,
		sectors: Math.floor(st.size / 512)
	};
	const [sectorSize = NaN, bytes = NaN] = captureTool("blockdev", [
		"--getss",
		"--getsize64",
		path
	]).trim().split(/\s+/).map(Number);
	if (!(sectorSize > 0) || !(bytes >= 0)) throw new Error(`blockdev could not tell the size of ${path}`);
	return {
		sectorSize,
		sectors: Math.floor(bytes / sectorSize)
	};
}
// dist/require-tool.js
/**
* Fails with a message naming the tool and the package that provides it when
* `command` is not on PATH (in the sandbox: the build root's /usr).
*/
function requireTool(command, debianPackage) {
	const path = process.env.PATH || "/usr/sbin:/usr/bin";
	for (const dir of path.split(":")) {
		if (dir === "") continue;
		try {
			accessSync(join(dir, command), constants.X_OK);
			return;
		} catch {}
	}
	throw new Error(`${command} is not in the build root (searched ${path}); it comes with the package "${debianPackage}"`);
}
// dist/remove-if-present.js
/** Removes a file if it is there; says whether it was. Other errors throw. */
function removeIfPresent(path) {
	try {
		rmSync(path);
		return true;
	} catch (error) {
		if (error.code === "ENOENT") return false;
		throw error;
	}
}
// dist/source-epoch.js
/**
* The pipeline's source epoch (seconds), from the arguments' meta or
* SOURCE_DATE_EPOCH (the engine sets both): when there is one, every time
* a stage would take from the clock or from the host's copy of the
* tree (ctime, atime) is this instead. Null without one.
*/
function sourceEpoch(args, env = process.env) {
	const fromMeta = args.meta["source-epoch"];
	if (typeof fromMeta === "number" && Number.isSafeInteger(fromMeta) && fromMeta >= 0) return fromMeta;
	const fromEnv = env["SOURCE_DATE_EPOCH"];
	if (fromEnv !== void 0 && /^\d+$/.test(fromEnv)) return Number(fromEnv);
	return null;
}
// dist/reproducible-tar.js
/**
* GNU tar options that make an archive's bytes depend only on the tree:
* members in name order (not the order the file system lists them), pax
* extended headers named without tar's process id and without atime or
* ctime (which say when the host last read or copied a file), and with a
* source epoch, no mtime later than it (as osbuild clamps trees).
* Owners, modes, contents, links, xattrs and earlier mtimes are the tree's.
*
* `pax`: whether the archive has pax headers, i.e. its format is `posix`
* or ACLs, SELinux labels or xattrs are stored (GNU tar then writes pax
* headers whatever the format); tar refuses `--pax-option` otherwise, and
* the other formats have no atime or ctime to drop.
*/
function reproducibleTarArguments(epoch, pax = true) {
	const args = ["--sort=name"];
	if (pax) args.push("--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime");
	if (epoch !== null) args.push(`--mtime=@${epoch}`, "--clamp-mtime");
	return args;
}
// dist/newest-mtime.js
/**
* The latest mtime (whole seconds) of anything in the tree: a time for
* what a stage writes that is not the clock when there is no source epoch.
*/
function newestMtime(root) {
	let newest = Math.floor(lstatSync(root).mtimeMs / 1e3);
	const walk = (dir) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			newest = Math.max(newest, Math.floor(lstatSync(path).mtimeMs / 1e3));
			if (entry.isDirectory()) walk(path);
		}
	};
	walk(root);
	return newest;
}
// dist/single-file-input.js
/**
* The one file of a files input (`org.osbuild.files`, whose files are
* named by checksum in its directory), as stages that take a single file
* (`untar`, `gunzip`, `xz`, `zstd`) need it. `what` says what the file is
* for, in the error messages.
*/
function singleFileInput(args, name = "file", what = "the file to work on") {
	const input = args.inputs[name];
	if (!input) {
		const names = Object.keys(args.inputs).join(", ") || "none";
		throw new Error(`no input named "${name}" (inputs: ${names}); ${what} is inputs.${name}, an org.osbuild.files input`);
	}
	const files = Object.keys(input.data?.files ?? {});
	if (files.length !== 1) throw new Error(`inputs.${name} must hold exactly one file, ${what}; it holds ${files.length}${files.length > 0 ? ` (${files.join(", ")})` : ""}`);
	const [file] = files;
	if (file.includes("/") || file === ".." || file === ".") throw new Error(`inputs.${name}: "${file}" is not a file name`);
	const path = posix.join(input.path, file);
	if (!existsSync(path)) throw new Error(`inputs.${name}: ${file} is listed but not in ${input.path}`);
	return path;
}
/**
* Where a stage writes its output file: `filename` inside the tree, a
* leading `/` ignored as upstream does. A name that would land outside the
* tree, or that names a directory, is refused; upstream would write there.
*/
function outputPath(tree, filename, option = "filename") {
	const relative = posix.normalize(filename.replace(/^\/+/, ""));
	if (relative === "." || relative === "" || relative.endsWith("/")) throw new Error(`${option} "${filename}" names a directory, not a file`);
	if (relative === ".." || relative.startsWith("../")) throw new Error(`${option} "${filename}" leaves the tree`);
	return posix.join(tree, relative);
}
// dist/run-stage.js
/**
* The body of a stage entry: reads the arguments, runs `body`, and turns a
* thrown error into one clear line on stderr and exit status 1 (the engine
* shows it with the stage's name and id).
*/
async function runStage(body) {
	try {
		await body(readArguments());
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`${message}\n`);
		if (process.env.OSBUILD_DEBUG) process.stderr.write(`${error.stack ?? ""}\n`);
		process.exitCode = 1;
	}
}
export { ARGUMENTS_PATH, META_PATH, captureTool, deviceGeometry, devicePath, locationParts, newestMtime, outputPath, readArguments, refuseLinksOut, removeIfPresent, reproducibleTarArguments, requireTool, resolveLocation, runStage, runTool, singleFileInput, sourceEpoch, writeMetadata };
