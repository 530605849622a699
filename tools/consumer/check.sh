#!/usr/bin/env bash
# Proves the library artifact is fit for other projects (run by .ci/run after the tests):
#  1. `mvn install` builds the jar with sources and javadoc jars; the jar names its module
#     (Automatic-Module-Name) and carries no logging configuration;
#  2. this project, which depends on the installed artifact like any other, gets DL4J/ND4J and what
#     it asked for, and no logging binding, command-line or plotting library;
#  3. the snippets of README.md and docs/*.md, copied here between README:begin and README:end, are
#     still the text of one of those pages, and compile and run against the installed jar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/consumer"
fail() { echo "consumer check: $*" >&2; exit 1; }

cd "$root"
mvn -B -q install -DskipTests
version=0.1.0-SNAPSHOT
jar="target/brainstate4j-$version.jar"
for f in "$jar" "target/brainstate4j-$version-sources.jar" "target/brainstate4j-$version-javadoc.jar"; do
    [[ -s "$f" ]] || fail "mvn install did not build $f"
done
unzip -p "$jar" META-INF/MANIFEST.MF | grep -q '^Automatic-Module-Name: org.brainstate4j' \
    || fail "$jar has no Automatic-Module-Name: org.brainstate4j"
if unzip -l "$jar" | grep -qE 'simplelogger\.properties|logback\.xml|log4j2?\.(xml|properties)'; then
    fail "$jar carries a logging configuration"
fi

cd "$here"
# without the consumer's own OneDNN dependencies (profile onednn), brainstate4j brings only what it must
deps="$(mvn -B -q -P '!onednn' dependency:list -DincludeScope=runtime -DoutputFile=/dev/stdout -DoutputAbsoluteArtifactFilename=false)"
echo "$deps" | grep -q 'org.brainstate4j:brainstate4j:jar' || fail "the consumer does not resolve brainstate4j"
echo "$deps" | grep -q 'org.nd4j:nd4j-native' || fail "the consumer gets no ND4J backend"
forbidden='org.slf4j:slf4j-(simple|nop|jdk14|log4j12|reload4j)|ch.qos.logback:logback-classic|org.apache.logging.log4j:log4j-slf4j|info.picocli:|org.knowm.xchart:|onednn'
if echo "$deps" | grep -E "$forbidden"; then
    fail "the consumer gets the libraries above, which it did not ask for"
fi
# with them (the README's OneDNN snippet), both OneDNN builds are on its class path
deps="$(mvn -B -q dependency:list -DincludeScope=runtime -DoutputFile=/dev/stdout -DoutputAbsoluteArtifactFilename=false)"
for classifier in linux-x86_64-onednn-avx512 linux-x86_64-onednn-avx2; do
    echo "$deps" | grep -q "org.nd4j:nd4j-native:jar:$classifier" || fail "the README's OneDNN snippet does not bring $classifier"
done

# the snippets here (Java sources and this pom) are the text of README.md or of a page of docs/ (whitespace aside)
normalise() { tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//'; }
pages=("$root/README.md" "$root"/docs/*.md)
texts=()
for page in "${pages[@]}"; do texts+=("$(normalise < "$page")"); done
snippets=0
for src in src/main/java/example/*.java pom.xml; do
    while IFS= read -r -d $'\x1e' snippet; do
        text="$(printf '%s' "$snippet" | normalise)"
        [[ -n "$text" ]] || continue
        found=
        for page_text in "${texts[@]}"; do
            if [[ "$page_text" == *"$text"* ]]; then found=1; break; fi
        done
        [[ -n "$found" ]] || fail "a snippet in $src is in neither README.md nor docs/*.md:"$'\n'"$snippet"
        snippets=$((snippets + 1))
    done < <(awk '/^[[:space:]]*(\/\/|<!--) README:begin/ {on=1; next} /^[[:space:]]*(\/\/|<!--) README:end/ {on=0; printf "\x1e"; next} on {print}' "$src")
done
[[ $snippets -ge 6 ]] || fail "found $snippets snippets of README.md and docs/, expected 6"

mvn -B -q compile exec:exec
echo "consumer check: $snippets snippets of README.md and docs/ compiled and ran against the installed artifact; no logging binding"
