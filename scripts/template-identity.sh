#!/usr/bin/env bash
# Byte-identity safety net for restructuring (issue 13).
#
#   scripts/template-identity.sh baseline   # on the base commit: capture every synthesized template
#   scripts/template-identity.sh            # after a change: capture again and diff against the baseline
#   scripts/template-identity.sh check REV  # check a commit from a scratch export (keep editing meanwhile)
#
# Captures (1) the example app's cloud assembly (what `npx projen landing-zone` writes to cdk.out) and its printed
# summary, and (2) every assembly synthesized by a test app: test/helpers/dump-templates.ts, loaded through
# `jest --setupFilesAfterEnv`, writes each synthesized template keyed by test file, test name and app number.
# Test files that synthesize nothing (CLI, pure handler tests) are skipped. Exits non-zero on any difference or any
# failing test. Output lives in $LZ_IDENTITY_DIR (default /tmp/lz-template-identity), outside the repository.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${LZ_IDENTITY_DIR:-/tmp/lz-template-identity}"
mode="${1:-check}"
rev="${2:-}"
tag="${rev:-worktree}"
if [ -n "$rev" ]; then
  # a scratch export of the commit, sharing node_modules, so the worktree can change while this runs
  tag="$(git -C "$repo" rev-parse --short "$rev")"
  tree="$(mktemp -d)"
  git -C "$repo" archive "$rev" | tar -x -C "$tree"
  ln -s "$repo/node_modules" "$tree/node_modules"
  # esbuild writes bundle-relative module paths into the handler bundles, so bundling in the scratch directory would
  # change every asset hash; when the commit changes no handler source, reuse the worktree's bundles
  if git -C "$repo" diff --quiet "$rev" -- 'src/**/*.lambda.ts' 'src/**/handlers/**' 'src/**/*.cli.ts' 'src/cli/**'; then
    (cd "$repo" && npx projen bundle >/dev/null 2>&1)
    cp -r "$repo/assets" "$tree/assets"
    bundled=1
  else
    echo "note: $rev changes handler sources; its bundles are built in a scratch directory, so asset hashes may differ"
  fi
  mkdir -p "$tree/test/helpers"
  cp "$repo/test/helpers/dump-templates.ts" "$tree/test/helpers/dump-templates.ts" # also for commits older than it
  repo="$tree"
  trap 'rm -rf "$tree"' EXIT
fi
target="$out/check-$tag"
[ "$mode" = baseline ] && target="$out/baseline"
rm -rf "$target"; mkdir -p "$target/example" "$target/tests"
cd "$repo"
[ -n "${bundled:-}" ] || npx projen bundle >/dev/null 2>&1

# (1) the example app, synthesized from a scratch directory so the repository's cdk.out is left alone
scratch="$(mktemp -d)"
(cd "$scratch" && npx --prefix "$repo" ts-node --transpile-only --project "$repo/tsconfig.dev.json" \
  "$repo/examples/landing-zone/main.ts" > "$target/example/summary.txt")
cp -r "$scratch"/cdk.out/. "$target/example/"
find "$target/example" -name tree.json -delete # construct tree metadata, not a template
rm -rf "$scratch"

# (2) every test app: the test files that build constructs
files=$(grep -l -E "aws-cdk-lib|helpers/(example|jump-fixture|probes)|from '(\.\./)+src'|elevated-access/world" \
  $(find test -name '*.test.ts' | sort))
status=0
LZ_DUMP_TEMPLATES="$target/tests" npx jest --ci --coverage=false --maxWorkers=1 --forceExit $files \
  --setupFilesAfterEnv "$repo/test/helpers/dump-templates.ts" > "$out/jest-$tag.log" 2>&1 || true
# the failing tests are part of the capture: a test that starts failing is a difference (the base has known failures)
{ grep -E '^  ● ' "$out/jest-$tag.log" | sort -u || true; } > "$target/failing-tests.txt"
grep -E '^(Tests|Test Suites):' "$out/jest-$tag.log" || { echo "jest did not run (see $out/jest-$mode.log)"; exit 1; }
echo "captured $(find "$target" -type f | wc -l) files in $target"

if [ "$mode" != baseline ]; then
  # compared: every template (nested ones included), the access report, the landing-zone record, the example's
  # summary and the failing tests; not compared: metadata, manifests and validation reports (they carry the stack
  # traces of construct creation, i.e. source paths and line numbers) and asset bundles (their hash is in the template)
  if diff -r -q -x '*.metadata.json' -x manifest.json -x validation-report.json -x '*.assets.json' -x 'asset.*' \
    "$out/baseline" "$target" > "$out/diff-$tag.txt"; then
    echo "BYTE-IDENTICAL ($tag): $(find "$target" -name '*.template.json' | wc -l) templates and $(find "$target" -name 'access-report.json' | wc -l) access reports match the baseline"
  else
    echo "DIFFERENCES vs baseline ($tag, $(wc -l < "$out/diff-$tag.txt")):"; head -30 "$out/diff-$tag.txt"; status=1
  fi
fi
exit "$status"
