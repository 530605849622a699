#!/usr/bin/env bash
# The launcher on Java 17 and on the newest JDK installed beside it (under /usr/lib/jvm, or $JVM_DIR):
# `train -b 0` prints one line and exits 2, predict names the sample's class, a one-epoch training on
# 1000 samples saves its model, and no stderr line holds "WARNING:" (from Java 24 on, the JVM warns
# about JavaCPP's System::load and sun.misc.Unsafe unless the launcher passes pom.xml's
# newer.jvm.options). Where no JDK newer than 17 is installed, that part is skipped, saying so.
# About 2 minutes per JDK on 2 cores, nearly all of it the training.
set -euo pipefail
cd "$(dirname "$0")/../.."
jvm_dir="${JVM_DIR:-/usr/lib/jvm}"
sample=data/samples/fashion-test-0000-ankle-boot.png

# One line per JDK under $jvm_dir: "MAJOR VERSION HOME", oldest first; links to the same JDK count once.
jdks() {
    local home version major
    for home in "$jvm_dir"/*/; do
        home="$(readlink -f "$home")"
        [[ -x "$home/bin/java" && -f "$home/release" ]] || continue
        version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")"
        major="${version#1.}"
        major="${major%%[!0-9]*}"
        [[ -n "$major" ]] && echo "$major $version $home"
    done | sort -u | sort -V -k2,2
}

fail() {
    echo "ci: $*" >&2
    exit 1
}

# Fails unless the file (a command's stderr) is free of WARNING lines.
no_warnings() {
    if grep -q 'WARNING:' "$1"; then
        fail "$2 printed WARNING lines on stderr:"$'\n'"$(cat "$1")"
    fi
}

# The launcher's checks with JAVA_HOME=$1 (a label for the messages: $2).
check() {
    local label="$2" tmp status out
    export JAVA_HOME="$1"
    tmp="$(mktemp -d)"
    echo "ci: $label: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"

    tools/brainstate4j models > /dev/null 2> "$tmp/models.err" || fail "$label: 'tools/brainstate4j models' failed: $(cat "$tmp/models.err")"
    no_warnings "$tmp/models.err" "$label: 'tools/brainstate4j models'"

    set +e
    tools/brainstate4j train -b 0 > /dev/null 2> "$tmp/b0.err"; status=$?
    set -e
    [[ $status -eq 2 ]] || fail "$label: 'tools/brainstate4j train -b 0' exited $status, expected 2: $(cat "$tmp/b0.err")"
    [[ "$(cat "$tmp/b0.err")" == "brainstate4j: batch size (=0) must be at least 1" ]] \
        || fail "$label: 'tools/brainstate4j train -b 0' printed, expected one line:"$'\n'"$(cat "$tmp/b0.err")"

    out="$(tools/brainstate4j predict "$sample" 2> "$tmp/predict.err")" || fail "$label: predict failed: $(cat "$tmp/predict.err")"
    [[ "$out" == "$sample: Ankle boot "* ]] || fail "$label: predict printed: $out"
    no_warnings "$tmp/predict.err" "$label: predict"

    tools/brainstate4j train -m cnn -e 1 --train-limit 1000 -o "$tmp/out" --models-dir "$tmp/models" \
        > "$tmp/train.out" 2> "$tmp/train.err" \
        || fail "$label: the short training failed:"$'\n'"$(cat "$tmp/train.out" "$tmp/train.err")"
    [[ -f "$tmp/models/cnn.bs4j" && -f "$tmp/models/manifest.json" ]] \
        || fail "$label: the short training saved no model:"$'\n'"$(cat "$tmp/train.out")"
    no_warnings "$tmp/train.err" "$label: the short training"
    echo "ci: $label: short training (1 epoch, 1000 samples): $(grep '^test accuracy' "$tmp/train.out")"

    rm -rf "$tmp"
    echo "ci: $label: launcher exit status, predict and a short training, no WARNING lines"
}

list="$(jdks)"
java17="$(awk '$1 == 17 { home = $3 } END { print home }' <<< "$list")"
[[ -n "$java17" ]] || fail "no Java 17 under $jvm_dir (found: ${list:-nothing})"
read -r newest_major newest_version newest_home <<< "$(tail -1 <<< "$list")"

check "$java17" "Java 17"
if (( newest_major > 17 )); then
    check "$newest_home" "Java $newest_version (newest under $jvm_dir)"
else
    echo "ci: skipped the newest-Java checks: no JDK newer than 17 under $jvm_dir"
fi
