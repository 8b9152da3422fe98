#!/bin/sh
# Start-up cost of plugin discovery + manifest validation (40-stage v2
# manifest, all fixture plugins installed), cold (no cache) and cached,
# against a bare `node -e 0`. Builds core into a temp dir; the tree is left
# untouched. Usage: test/validate/bench/run.sh   (RUNS=n to change the count)
set -eu
core=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/core"
cp -r "$core/schemas" "$core/package.json" "$work/core/"
ln -s "$core/node_modules" "$work/core/node_modules"
(cd "$core" && pnpm exec tsc -p tsconfig.build.json --outDir "$work/core/dist" >/dev/null 2>&1 || true)
node "$core/test/validate/bench/make-manifest.mjs" "$work/manifest.json"
project="$work/project"
mkdir -p "$project/node_modules"
for d in "$core"/test/fixtures/plugins/*; do
  name=$(node -p "require('$d/package.json').name")
  mkdir -p "$project/node_modules/$(dirname "$name")"
  ln -s "$d" "$project/node_modules/$name"
done
run="node $core/test/validate/bench/inspect-startup.mjs $work/core/dist $project $work/manifest.json"
hyperfine -N --warmup 3 --runs "${RUNS:-30}" \
  --prepare true --prepare "rm -rf $project/node_modules/.cache" --prepare true \
  --command-name 'node -e 0' 'node -e 0' \
  --command-name 'discover + validate, cold' "$run" \
  --command-name 'discover + validate, cached' "$run"
