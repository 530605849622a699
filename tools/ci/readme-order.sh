#!/usr/bin/env bash
# The README's order on a fresh clone (run by .ci/run after the tests): the main job, then the tests.
# The main job and every `train` command replace models/<model>.bs4j and its manifest entry, and the
# default suite must pass whatever they left there. In a fresh clone of this repository's HEAD:
#  1. `tools/brainstate4j -e 1`: the main job (SimpleCNN), one epoch instead of ten to save CI time;
#  2. the test classes that read models/;
#  3. `tools/brainstate4j train -m unet -e 1 --train-limit 400`: a U-Net on 400 of the 20,000
#     canvases (a full epoch is 95 s on an AVX-512 CPU and several times that on the generic build;
#     what the tests must accept is any model train saves, and --train-limit, a documented option,
#     gives one, a poor one: the committed U-Net's quality is checked on the committed file);
#  4. the same test classes again.
# Each training must have replaced its model and the manifest, or the check proves nothing.
# Extra Maven arguments (e.g. -o): BRAINSTATE4J_MAVEN_ARGS, as for tools/brainstate4j.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fail() { echo "readme-order: $*" >&2; exit 1; }
step() { echo "readme-order: $* (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }

# the test classes that read models/ (MainTest trains and reads its own model in a temporary directory)
tests=CommittedModelsTest,OnnxCommittedModelsTest,ModelsCommandTest,PredictCommandTest,ExportOnnxCommandTest,RefusalsTest
maven_args="${BRAINSTATE4J_MAVEN_ARGS:-}"

work="$(mktemp -d "${TMPDIR:-/tmp}/brainstate4j-readme-order.XXXXXX")"
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/clone"
cd "$work/clone"
git checkout -q --detach "$(git -C "$root" rev-parse HEAD)"
step "fresh clone of $(git rev-parse --short HEAD) in $work/clone"

replaced() { # the files a training must have changed against the clone's HEAD
    for f in "$@"; do
        git diff --quiet -- "models/$f" && fail "$f is the committed one: the training did not replace it"
    done
    return 0
}

step "main job: tools/brainstate4j -e 1"
tools/brainstate4j -e 1
replaced cnn.bs4j manifest.json
step "tests that read models/ after the main job"
# shellcheck disable=SC2086 # word splitting of the argument list is intended
mvn -B $maven_args test -Dtest="$tests"

step "tools/brainstate4j train -m unet -e 1 --train-limit 400"
tools/brainstate4j train -m unet -e 1 --train-limit 400
replaced unet.bs4j
step "tests that read models/ after the U-Net's training"
# shellcheck disable=SC2086
mvn -B $maven_args test -Dtest="$tests"
step "the suite's tests of models/ pass after the main job and after train -m unet"
