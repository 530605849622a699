#!/usr/bin/env bash
# Installs what notebooks/*.ipynb need: Jupyter's headless runner (Debian packages) and a Java
# kernel (rapaio-jupyter-kernel, from Maven Central) whose class path is this project's runtime
# class path (target/classes + every dependency jar).
#
#   tools/notebooks/setup.sh                 # compile, fetch the kernel, install the kernelspec
#   SKIP_APT=1 tools/notebooks/setup.sh      # Jupyter already installed (or no root)
#   SKIP_COMPILE=1 tools/notebooks/setup.sh  # target/classes is already built; do not run mvn compile
#
# Environment:
#   RJK_VERSION   rapaio-jupyter-kernel version (default 3.0.1; its classes are Java 17 bytecode)
#   KERNEL_NAME   kernelspec name (default brainstate4j)
#   KERNEL_XMX    heap of the kernel's JVM (default 3g; ND4J's native memory comes on top)
#   KERNEL_DIR    where the kernelspec goes (default: the user's Jupyter data dir,
#                 ~/.local/share/jupyter/kernels/$KERNEL_NAME)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RJK_VERSION="${RJK_VERSION:-3.0.1}"
KERNEL_NAME="${KERNEL_NAME:-brainstate4j}"
KERNEL_XMX="${KERNEL_XMX:-3g}"
KERNEL_DIR="${KERNEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter/kernels/$KERNEL_NAME}"
WORK="$ROOT/target/notebook-kernel"

say() { printf '==> %s\n' "$*"; }

# 1. Jupyter, headless: nbconvert/nbclient run the notebook, jupyter-client starts the kernel.
#    Debian's packages, for /usr/bin/python3 (a Python from pyenv or a venv earlier on PATH is not used).
if [[ "${SKIP_APT:-0}" != 1 ]]; then
    pkgs=(jupyter-nbconvert jupyter-client python3-nbclient python3-nbformat)
    missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        say "installing ${missing[*]}"
        SUDO=""
        [[ $(id -u) -ne 0 ]] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        say "Jupyter packages already installed"
    fi
fi
[[ -x /usr/bin/jupyter ]] || { echo "/usr/bin/jupyter not found: install jupyter-core/jupyter-nbconvert" >&2; exit 1; }

# 2. The project's classes and its runtime class path.
mkdir -p "$WORK"
cd "$ROOT"
if [[ "${SKIP_COMPILE:-0}" != 1 ]]; then
    say "mvn -q compile"
    mvn -q compile
fi
[[ -d "$ROOT/target/classes/org/brainstate4j" ]] || { echo "target/classes is empty: run without SKIP_COMPILE=1" >&2; exit 1; }
say "resolving the runtime class path"
mvn -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/classpath.txt"
CP="$ROOT/target/classes:$(cat "$WORK/classpath.txt")"

# 3. The kernel jar, through Maven (lands in ~/.m2, copied next to the class path file).
JAR="$WORK/rapaio-jupyter-kernel-$RJK_VERSION.jar"
if [[ ! -f "$JAR" ]]; then
    say "fetching io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION"
    mvn -q dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" \
        -DoutputDirectory="$WORK" -Dmdep.overWriteReleases=true
fi
[[ -f "$JAR" ]] || { echo "kernel jar $JAR missing" >&2; exit 1; }

# 4. A fixed copy of one kernel class (tools/notebooks/kernel-patch/.../LoopThread.java, see there):
#    without it about a third of the kernel's starts never answered Jupyter.
say "compiling the kernel's patched LoopThread"
rm -rf "$WORK/patch"
mkdir -p "$WORK/patch"
javac -d "$WORK/patch" -cp "$JAR" \
    "$ROOT/tools/notebooks/kernel-patch/org/rapaio/jupyter/kernel/channels/LoopThread.java"

# 5. The kernelspec. The project's class path goes twice: on the JVM's -cp (so DL4J, ND4J's natives
#    and slf4j-simple load from the application class loader, as in `mvn exec:exec`) and in
#    RJK_CLASSPATH, ';'-separated (what JShell compiles cells against); the patched class comes first
#    on -cp. -Dorg.bytedeco.javacpp.platform.extension names ND4J's fastest native build for this CPU,
#    chosen here by NativeBuilds as the command line chooses it (every build on the class path would
#    otherwise race to load itself); run setup.sh again on another machine. The logging levels are the
#    command line's (src/main/resources/org/brainstate4j/cli/logging.properties), as system properties.
say "installing kernelspec '$KERNEL_NAME' in $KERNEL_DIR"
mkdir -p "$KERNEL_DIR"
JAVA_BIN="$(command -v java)"
RJK_CP="${CP//:/;}"
NATIVE_BUILD="$("$JAVA_BIN" -cp "$CP" "$ROOT/tools/notebooks/FastestNativeBuild.java")"
say "ND4J native build for the kernel: '$NATIVE_BUILD' (empty = generic)"
KJ_LOGGING="$ROOT/src/main/resources/org/brainstate4j/cli/logging.properties" KJ_NATIVE_BUILD="$NATIVE_BUILD" \
KJ_ARGV_JAR="$JAR" KJ_CP="$WORK/patch:$JAR:$CP" KJ_RJK_CP="$RJK_CP" KJ_JAVA="$JAVA_BIN" KJ_XMX="$KERNEL_XMX" \
KJ_NAME="$KERNEL_NAME" KJ_OUT="$KERNEL_DIR/kernel.json" KJ_VERSION="$RJK_VERSION" \
/usr/bin/python3 - <<'EOF'
import json, os
e = os.environ
logging = []
with open(e["KJ_LOGGING"], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = (part.strip() for part in line.split("=", 1))
            logging.append("-D" + key + "=" + value)
spec = {
    "argv": [
        e["KJ_JAVA"],
        "-Xmx" + e["KJ_XMX"],
        "-Dorg.bytedeco.javacpp.platform.extension=" + e["KJ_NATIVE_BUILD"],
        "-Djava.awt.headless=true",
        *logging,
        "-cp", e["KJ_CP"],
        "org.rapaio.jupyter.kernel.MainApp",
        "{connection_file}",
    ],
    "display_name": "Java 17 (brainstate4j)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "RJK_CLASSPATH": e["KJ_RJK_CP"],
        "RJK_COMPILER_OPTIONS": "",
        "RJK_INIT_SCRIPT": "",
        "RJK_TIMEOUT_MILLIS": "-1",
    },
    "metadata": {"rapaio-jupyter-kernel": e["KJ_VERSION"]},
}
with open(e["KJ_OUT"], "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
EOF
/usr/bin/jupyter kernelspec list --KernelSpecManager.ensure_native_kernel=False
say "done: tools/notebooks/run.sh executes notebooks/*.ipynb with kernel '$KERNEL_NAME'"
