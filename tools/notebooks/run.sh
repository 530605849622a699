#!/usr/bin/env bash
# Executes notebooks headless, in place, so their outputs are stored in the .ipynb files.
# Run tools/notebooks/setup.sh once before.
#
#   tools/notebooks/run.sh                              # every notebooks/*.ipynb
#   tools/notebooks/run.sh notebooks/brainstate4j-tour.ipynb
#
# The kernel starts in the notebook's folder (as in Jupyter); the tour finds the repository root
# itself (the first parent with pom.xml and data/fashion-mnist), so it runs from anywhere.
# Environment:
#   KERNEL_NAME          kernelspec to run with (default brainstate4j, as setup.sh installs it)
#   CELL_TIMEOUT         seconds one cell may take (default 600)
#   BRAINSTATE4J_MODEL   model file the tour loads (default models/unet.bs4j)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KERNEL_NAME="${KERNEL_NAME:-brainstate4j}"
CELL_TIMEOUT="${CELL_TIMEOUT:-600}"
# Paths given on the command line are taken relative to the caller's directory.
if (($#)); then notebooks=(); for nb in "$@"; do notebooks+=("$(realpath "$nb")"); done
else notebooks=("$ROOT"/notebooks/*.ipynb); fi
cd "$ROOT"

[[ -x /usr/bin/jupyter ]] || { echo "Jupyter is not installed: run tools/notebooks/setup.sh" >&2; exit 1; }
if ! /usr/bin/jupyter kernelspec list --KernelSpecManager.ensure_native_kernel=False 2>/dev/null \
        | grep -q "^ *$KERNEL_NAME "; then
    echo "kernel '$KERNEL_NAME' is not installed: run tools/notebooks/setup.sh" >&2
    exit 1
fi

execute() {
    /usr/bin/jupyter nbconvert --to notebook --execute --inplace \
        --ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
        --ExecutePreprocessor.timeout="$CELL_TIMEOUT" \
        --ExecutePreprocessor.startup_timeout=180 \
        --KernelSpecManager.ensure_native_kernel=False \
        "$1"
}

for nb in "${notebooks[@]}"; do
    echo "==> executing $nb"
    # Once in a few starts the kernel binds its sockets but never answers Jupyter's first request
    # ("Kernel didn't respond in 180 seconds"); a second start has always worked. The notebook
    # file is only written after a complete run, so a failed attempt leaves it as it was.
    execute "$nb" || { echo "==> retrying $nb once" >&2; execute "$nb"; }
done
