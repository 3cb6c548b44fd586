#!/usr/bin/env bash
# `npx projen test:python`: the library driven from Python through jsii, offline.
#  1. jsii-pacmak --code-only generates Python for the jsii dependencies (aws-cdk-lib, constructs, cdk-nag, ...;
#     cached in .ci-work/python/deps by name@version) in the background, while this library is bundled, compiled,
#     its examples translated by rosetta, and generated (always, it is what changed);
#  2. a venv gets the jsii Python runtime: from the vendored wheels beside the checkout
#     (../shared/vendor/python-wheels, or LZ_PYTHON_WHEELS), else from PyPI; the generated packages go on its path;
#  3. unittest runs test/python: the README's Python snippets, the Python example app, choice classes, errors.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$root/.ci-work/python
runtime_version=1.140.0 # the jsii Python runtime; pacmak must be 1.140.x to generate code it understands
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
mkdir -p "$work/deps"
say() { echo "test:python: $*"; }
t0=$SECONDS

command -v python3 >/dev/null && python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || {
  echo "test:python: needs python3 >= 3.10 with the venv module (Debian: apt-get install python3-venv)" >&2
  exit 1
}
pacmak_version=$(node -p "require('jsii-pacmak/package.json').version")
[[ $pacmak_version == "${runtime_version%.*}".* ]] || {
  echo "test:python: jsii-pacmak $pacmak_version does not match the jsii Python runtime $runtime_version (pin jsii-pacmak ~${runtime_version%.*}.0)" >&2
  exit 1
}

# --- 1. bindings -------------------------------------------------------------------------------------------------
# The jsii dependency closure of this package (dependencies and peers that are jsii packages): "name dir version".
mapfile -t deps < <(node -e '
  const fs = require("fs"), path = require("path");
  const find = (name, from) => {
    for (let d = from; ; d = path.dirname(d)) {
      const dir = path.join(d, "node_modules", name);
      if (fs.existsSync(path.join(dir, "package.json"))) return dir;
      if (d === path.dirname(d)) throw new Error(`${name} not found from ${from}: run npm ci`);
    }
  };
  const seen = new Map();
  const visit = (dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
      if (seen.has(name) || (pkg.bundledDependencies ?? pkg.bundleDependencies ?? []).includes(name)) continue;
      const depDir = find(name, dir);
      const dep = JSON.parse(fs.readFileSync(path.join(depDir, "package.json"), "utf8"));
      if (!dep.jsii) continue;
      seen.set(name, `${name} ${depDir} ${dep.version}`);
      visit(depDir);
    }
  };
  visit(process.cwd());
  console.log([...seen.values()].sort().join("\n"));
')

pids=()
srcs=()
for line in "${deps[@]}"; do
  read -r name dir version <<<"$line"
  out=$work/deps/${name//\//__}
  srcs+=("$out/python/src")
  stamp="$name@$version pacmak@$pacmak_version"
  if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" ]]; then continue; fi
  rm -rf "$out"
  ( s=$SECONDS
    npx jsii-pacmak --code-only --targets python -o "$out" "$dir" >"$work/pacmak-${name//\//__}.log" 2>&1 \
      || { echo "test:python: jsii-pacmak failed for $name (log: $work/pacmak-${name//\//__}.log)" >&2; exit 1; }
    echo "$stamp" >"$out/.stamp"
    say "generated $name@$version in $((SECONDS - s)) s" ) &
  pids+=($!)
done
[[ ${#pids[@]} -gt 0 ]] || say "jsii dependencies: cached in .ci-work/python/deps"

s=$SECONDS
npx projen bundle >"$work/bundle.log" 2>&1 || { cat "$work/bundle.log" >&2; exit 1; }
# compile and the rosetta tablet (which turns the docstrings' TypeScript examples into Python), unless both are newer
# than every input, as right after check:offline in .ci/run
if [[ -f .jsii && -f .jsii.tabl.json && ! .jsii -nt .jsii.tabl.json \
      && -z $(find src rosetta README.md package.json tsconfig.json -newer .jsii -print -quit) ]]; then
  say "compile and rosetta: up to date"
else
  npx projen compile >"$work/compile.log" 2>&1 || { cat "$work/compile.log" >&2; exit 1; }
  npx projen rosetta:extract >"$work/rosetta.log" 2>&1 || { cat "$work/rosetta.log" >&2; exit 1; }
fi
rm -rf "$work/lib"
npx jsii-pacmak --code-only --targets python -o "$work/lib" . >"$work/pacmak-lib.log" 2>&1 \
  || { cat "$work/pacmak-lib.log" >&2; exit 1; }
srcs+=("$work/lib/python/src")
say "cdk-iam-landing-zone bundled, built and generated in $((SECONDS - s)) s"

# --- 2. venv -----------------------------------------------------------------------------------------------------
wheels=${LZ_PYTHON_WHEELS:-}
if [[ -z $wheels ]]; then
  # ../shared beside the checkout (CI's clean clone); further up for a worktree nested one level deeper
  for d in "$root/.." "$root/../.."; do
    if compgen -G "$d/shared/vendor/python-wheels/jsii-$runtime_version-*.whl" >/dev/null; then
      wheels=$(cd "$d/shared/vendor/python-wheels" && pwd)
      break
    fi
  done
fi
source_stamp="jsii==$runtime_version from ${wheels:-PyPI}"
venv=$work/venv
if [[ ! -f $venv/.stamp || $(cat "$venv/.stamp") != "$source_stamp" ]]; then
  s=$SECONDS
  rm -rf "$venv"
  python3 -m venv "$venv"
  if [[ -n $wheels ]]; then
    "$venv/bin/pip" install -q --no-index --find-links "$wheels" "jsii==$runtime_version"
  else
    say "no vendored wheels found (../shared/vendor/python-wheels, LZ_PYTHON_WHEELS): installing jsii from PyPI"
    "$venv/bin/pip" install -q "jsii==$runtime_version"
  fi
  echo "$source_stamp" >"$venv/.stamp"
  say "venv with $source_stamp in $((SECONDS - s)) s"
fi

s=$SECONDS
for pid in "${pids[@]}"; do wait "$pid"; done
[[ ${#pids[@]} -eq 0 ]] || say "waited $((SECONDS - s)) s for the dependency bindings"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "${srcs[@]}" >"$site/cdk-iam-landing-zone-bindings.pth"

# --- 3. tests ----------------------------------------------------------------------------------------------------
rm -rf "$work/tmp" && mkdir -p "$work/tmp"
s=$SECONDS
status=0
TMPDIR=$work/tmp PYTHONPYCACHEPREFIX=$work/pycache \
  "$venv/bin/python" -m unittest discover -s test/python -p 'test_*.py' -v || status=$?
say "tests in $((SECONDS - s)) s; test:python in $((SECONDS - t0)) s"
exit "$status"
