#!/usr/bin/env bash
# Code generation for the four non-JS targets in one jsii-pacmak call (their registries are unreachable here),
# then a byte-compile of the Python and a parse-only javac of the Java.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist/codegen

# The npm package (package:js, run before this) ships rosetta's tablet: jsii-pacmak reads it to write every example
# in the target language, here and wherever the package is turned into Python, Java, .NET or Go.
tarball=$(ls dist/js/*.tgz)
# (grep without -q reads the whole listing: with -q, tar would die of SIGPIPE and pipefail would report a failure)
tar -tzf "$tarball" | grep -x 'package/.jsii.tabl.json' >/dev/null || { echo "$tarball ships no .jsii.tabl.json" >&2; exit 1; }
echo "package: $(basename "$tarball") ships .jsii.tabl.json"

rm -rf "$out"
npx jsii-pacmak --code-only --target python --target java --target dotnet --target go -o "$out"

for lang in python java dotnet go; do
  n=$(find "$out/$lang" -type f | wc -l)
  [ "$n" -gt 0 ] || { echo "pacmak produced no $lang sources" >&2; exit 1; }
  echo "generated $lang: $n files"
done

python3 -m compileall -q "$out/python" >/dev/null
echo "python: compileall ok ($(find "$out/python" -name '*.py' | wc -l) modules)"

# Parse only: the aws-cdk-lib jars are not available offline, so stop javac after parsing.
mapfile -t javafiles < <(find "$out/java" -name '*.java')
javac -XDshould-stop.ifNoError=PARSE -XDshould-stop.ifError=PARSE -d "$(mktemp -d)" "${javafiles[@]}"
echo "java: parse-only javac ok (${#javafiles[@]} files)"
