"""Runs the peer benchmark of issue 7 and prints its tables (markdown).

Five workloads (SimpleCNN and SimpleUNet width 16, plain and ScaledWSConv2d + GroupNorm, and the
tutorial's SimpleUNet width 64) on five stacks, each (stack, workload) in its own process:
brainstate4j on ND4J's generic and OneDNN-AVX512 builds, the same networks in raw SameDiff ops on
the OneDNN build (org.brainstate4j.bench.PeerBenchmark), the same networks as DL4J
MultiLayerNetwork / ComputationGraph (toDl4j; not the w64 U-Net) on the OneDNN build, and PyTorch CPU in NCHW and channels_last
with 2 threads (tools/bench/torch_peer.py). A set runs every process once, in an order that rotates
from set to set; ratios are taken within a set (figures measured in the same run) and the tables
give the median over sets. Run from the repository root after `mvn -q test-compile`:

    .venv-bench/bin/python tools/bench/run_peer_benchmark.py --sets 3 --json out/bench/peer.json

Not in the default set: dl4j-native and dl4j-native-nhwc, the same networks built from DL4J's own
layers as a DL4J user would write them without brainstate4j (ConvolutionLayer, SubsamplingLayer,
Deconvolution2D, MergeVertex, OutputLayer / CnnLossLayer; BatchNormalization in place of
weight standardization + GroupNorm, which DL4J lacks, so the WS rows compare a different
normalization), in DL4J's default NCHW layout and in brainstate4j's NHWC, on the OneDNN build, every
workload including the w64 U-Net (bench/NativeDl4jNetworks.java). Where bs4j-onednn runs beside
them, each table adds a column "bs4j-onednn / <stack>" (below 1: brainstate4j faster or smaller):

    python3 tools/bench/run_peer_benchmark.py --stacks bs4j-onednn,dl4j-native,dl4j-native-nhwc --sets 3 --steps 5
"""
import argparse
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

WORKLOADS = ['cnn', 'cnn-ws', 'unet16', 'unet16-ws', 'unet64']
TITLES = {
    'cnn': 'SimpleCNN, batch 64, 32x32x3',
    'cnn-ws': 'SimpleCNN WS + GroupNorm, batch 64',
    'unet16': 'SimpleUNet w16, batch 16, 64x64x3',
    'unet16-ws': 'SimpleUNet w16 WS + GroupNorm, batch 16',
    'unet64': 'SimpleUNet w64 (tutorial), batch 4, 128x128x3',
}
PLAIN_TWIN = {'cnn-ws': 'cnn', 'unet16-ws': 'unet16'}


def cpu_flags():
    with open('/proc/cpuinfo') as fh:
        for line in fh:
            if line.startswith('flags'):
                return set(line.split(':', 1)[1].split())
    return set()


# ND4J's native builds (JavaCPP platform extensions) with the CPU flags each needs: the same table and
# order (fastest first) as org.brainstate4j.NativeBuilds.Build.
AVX512 = {'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'avx2', 'fma'}
BUILDS = [('-onednn-avx512', AVX512), ('-onednn-avx2', {'avx2', 'fma'}), ('-onednn', set()),
          ('-avx512', AVX512), ('-avx2', {'avx2', 'fma'}), ('', set())]
# The OneDNN build NativeBuilds.useFastest() loads on this CPU: what 'onednn' means in the stacks below.
ONEDNN = next(ext for ext, needs in BUILDS if 'onednn' in ext and needs <= cpu_flags())
STACKS = {  # name: (kind, what, native build extension, extra environment[, extra JVM options])
    'bs4j-onednn': ('java', 'brainstate4j', ONEDNN, {}),
    'bs4j-generic': ('java', 'brainstate4j', '', {}),
    'raw-onednn': ('java', 'raw', ONEDNN, {}),
    'dl4j-onednn': ('java', 'dl4j', ONEDNN, {}),  # the networks as DL4J MultiLayerNetwork / ComputationGraph
    # the networks from DL4J's own layers (no brainstate4j), DL4J's default NCHW and brainstate4j's NHWC
    'dl4j-native': ('java', 'dl4j-native --format nchw', ONEDNN, {}),
    'dl4j-native-nhwc': ('java', 'dl4j-native --format nhwc', ONEDNN, {}),
    'torch-nchw': ('torch', 'nchw', None, {}),
    'torch-cl': ('torch', 'channels_last', None, {}),
}
# One stack per native build (BENCHMARKS.md "Native builds"), brainstate4j's networks on each:
# bs4j-build-onednn-avx2, bs4j-build-generic, ...; a build needs its jar (the onednn profile has the
# OneDNN ones; the others: mvn dependency:get) and a CPU with its instructions. ONEDNN_MAX_CPU_ISA
# masks OneDNN's own run-time choice of kernels (oneDNN 2.3 in ND4J M2.1 reads the DNNL_ name; ONEDNN_
# for later versions): '-onednn' with SSE41 is what a CPU without AVX gets.
for ext, _ in BUILDS:
    STACKS['bs4j-build' + (ext or '-generic')] = ('java', 'brainstate4j', ext, {})
# The same brainstate4j stack with another malloc under ND4J's off-heap arrays (Debian's libtcmalloc-minimal4
# and libjemalloc2): bs4j-onednn+tcmalloc (as the launcher runs where tcmalloc is installed),
# bs4j-onednn+jemalloc; and bs4j-onednn+tcmalloc-nocache: tcmalloc with SameDiff's array cache off
# (-Dorg.nd4j.autodiff.samediff=false, ND4J's SAMEDIFF_MEMORY_CACHE_DISABLE), which SameDiff M2.1 cannot
# train with once the loss is recorded (BENCHMARKS.md "Memory and malloc").
ALLOCATORS = {'tcmalloc': '/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4',
              'jemalloc': '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'}
for name, library in ALLOCATORS.items():
    STACKS['bs4j-onednn+' + name] = ('java', 'brainstate4j', ONEDNN, {'LD_PRELOAD': library})
STACKS['bs4j-onednn+tcmalloc-nocache'] = ('java', 'brainstate4j', ONEDNN, {'LD_PRELOAD': ALLOCATORS['tcmalloc']},
                                         ['-Dorg.nd4j.autodiff.samediff=false'])
STACKS['bs4j-build-onednn-sse41'] = ('java', 'brainstate4j', '-onednn', {'DNNL_MAX_CPU_ISA': 'SSE41', 'ONEDNN_MAX_CPU_ISA': 'SSE41'})


def classpath():
    """Dependencies plus a snapshot of the compiled classes, so a rebuild during a long run cannot break it."""
    out = 'target/bench-classpath.txt'
    subprocess.run(['mvn', '-q', '-o', 'dependency:build-classpath', f'-Dmdep.outputFile={out}'], check=True)
    snapshot = 'target/bench-snapshot'
    shutil.rmtree(snapshot, ignore_errors=True)
    for d in ('classes', 'test-classes'):
        shutil.copytree(os.path.join('target', d), os.path.join(snapshot, d))
    with open(out) as fh:
        entries = fh.read().strip().split(':')
    # builds outside the onednn profile (-avx2, -avx512), where fetched with mvn dependency:get
    for jar in sorted(glob.glob(os.path.expanduser(
            '~/.m2/repository/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64-*.jar'))):
        if jar not in entries:
            entries.append(jar)
    return ':'.join(entries) + f':{snapshot}/classes:{snapshot}/test-classes'


def command(stack, workload, args, cp):
    kind, what, ext = STACKS[stack][:3]
    options = STACKS[stack][4] if len(STACKS[stack]) > 4 else []
    common = ['--workload', workload, '--warmup', str(args.warmup), '--steps', str(args.steps),
              '--inference', str(args.steps)]
    if kind == 'java':
        return ['java', '-Xmx2g', f'-Dorg.bytedeco.javacpp.platform.extension={ext}'] + options + ['-cp', cp,
                'org.brainstate4j.bench.PeerBenchmark', '--stack'] + what.split() + common
    return [sys.executable, 'tools/bench/torch_peer.py', '--format', what, '--threads', '2'] + common


def run_one(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
    for line in p.stdout.splitlines():
        if line.startswith('RESULT '):
            return json.loads(line[len('RESULT '):])
    raise RuntimeError(f'no RESULT from {" ".join(cmd[:6])}...: exit {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}')


def med(values):
    return statistics.median(values) if values else float('nan')


def cpu_model():
    with open('/proc/cpuinfo') as fh:
        for line in fh:
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    return platform.processor()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--sets', type=int, default=3)
    p.add_argument('--warmup', type=int, default=15)
    p.add_argument('--steps', type=int, default=7)
    p.add_argument('--stacks', default='bs4j-onednn,bs4j-generic,raw-onednn,dl4j-onednn,torch-nchw,torch-cl',
                   help='comma-separated, of: ' + ', '.join(STACKS))
    p.add_argument('--workloads', default=','.join(WORKLOADS))
    p.add_argument('--json', help='also write every measurement here')
    p.add_argument('--ours', default='bs4j-onednn', help='the brainstate4j stack the ratio columns compare')
    p.add_argument('--from-json', help='print the tables of an earlier run (its --json) instead of running')
    args = p.parse_args()
    ours = args.ours
    runs = []  # every result, with its set
    if args.from_json:
        with open(args.from_json) as fh:
            saved = json.load(fh)
        runs = saved['runs']
        for key in ('sets', 'warmup', 'steps', 'stacks', 'workloads'):
            setattr(args, key, saved['args'][key])
    stacks = args.stacks.split(',')
    workloads = args.workloads.split(',')
    cp = classpath() if not args.from_json and any(STACKS[s][0] == 'java' for s in stacks) else ''

    # the DL4J networks are not offered for the tutorial's w64 U-Net
    jobs = [(s, w) for w in workloads for s in stacks if not (STACKS[s][1].startswith('dl4j') and w == 'unet64')]
    for k in range(0 if args.from_json else args.sets):
        shift = (k * len(jobs)) // max(args.sets, 1)
        for stack, workload in jobs[shift:] + jobs[:shift]:
            t = time.time()
            r = run_one(command(stack, workload, args, cp), STACKS[stack][3])
            r.update(set=k, stack=stack, wall_s=round(time.time() - t, 1))
            runs.append(r)
            print(f'set {k + 1}/{args.sets} {stack:16s} {workload:10s} train {r["train_ms"]:9.1f} ms  '
                  f'infer {r["infer_ms"]:8.1f} ms  peak RSS {r["peak_rss_mib"]:7.0f} MiB  ({r["wall_s"]} s)',
                  file=sys.stderr, flush=True)

    def fig(stack, workload, key, k=None):
        vals = [r[key] for r in runs if r['stack'] == stack and r['workload'] == workload and (k is None or r['set'] == k)]
        return med(vals)  # nan where a stack does not run a workload

    def per_set_ratio(f):  # median over sets of a ratio computed within each set
        vals = [f(k) for k in range(args.sets)]
        return med([v for v in vals if v == v])

    torch_stacks = [s for s in stacks if s.startswith('torch')]
    # brainstate4j against the networks from DL4J's own layers, one column per such stack
    natives = [s for s in stacks if STACKS[s][1].startswith('dl4j-native')] if ours in stacks else []
    native_head = ''.join(f' {ours} / {s} |' for s in natives)

    def native_cells(w, key):
        return ''.join(f' {per_set_ratio(lambda k, s=s: fig(ours, w, key, k) / fig(s, w, key, k)):.2f}x |'
                       for s in natives)
    print(f'CPU: {cpu_model()}, {os.cpu_count()} cores, OneDNN build {ONEDNN}; {args.sets} sets, {args.warmup} warm-up + {args.steps} timed steps per process\n')
    print('Training step (forward + backward + Adam), ms, median over sets:\n')
    dl4j_col = 'dl4j-onednn' in stacks and ours in stacks
    print('| workload | ' + ' | '.join(stacks) + f' | {ours} / best PyTorch | WS / plain ({ours}) | WS / plain (PyTorch best) |'
          + (f' dl4j-onednn / {ours} |' if dl4j_col else '') + native_head)
    print('|---' * (len(stacks) + 4 + dl4j_col + len(natives)) + '|')
    for w in workloads:
        cells = [f'{fig(s, w, "train_ms"):.1f}' for s in stacks]
        best_torch = lambda k, ww=w: min(fig(s, ww, 'train_ms', k) for s in torch_stacks) if torch_stacks else float('nan')  # noqa: E731
        vs_torch = per_set_ratio(lambda k: fig(ours, w, 'train_ms', k) / best_torch(k)) if ours in stacks else float('nan')
        twin = PLAIN_TWIN.get(w)
        ws_bs4j = per_set_ratio(lambda k: fig(ours, w, 'train_ms', k) / fig(ours, twin, 'train_ms', k)) if twin in workloads else float('nan')
        ws_torch = per_set_ratio(lambda k: best_torch(k) / best_torch(k, twin)) if twin in workloads else float('nan')
        dl4j = (f' {per_set_ratio(lambda k: fig("dl4j-onednn", w, "train_ms", k) / fig(ours, w, "train_ms", k)):.2f}x |'
                if 'dl4j-onednn' in stacks and ours in stacks else '')
        print(f'| {TITLES[w]} | ' + ' | '.join(cells) + f' | {vs_torch:.2f}x | '
              + (f'{ws_bs4j:.2f}x | {ws_torch:.2f}x |' if twin else '- | - |') + dl4j + native_cells(w, 'train_ms'))
    print('\nInference (forward only), ms, median over sets:\n')
    print('| workload | ' + ' | '.join(stacks) + ' |' + native_head)
    print('|---' * (len(stacks) + 1 + len(natives)) + '|')
    for w in workloads:
        print(f'| {TITLES[w]} | ' + ' | '.join(f'{fig(s, w, "infer_ms"):.1f}' for s in stacks) + ' |'
              + native_cells(w, 'infer_ms'))
    print('\nPeak resident memory of the training process, MiB, median over sets:\n')
    print('| workload | ' + ' | '.join(stacks) + f' | {ours} / best PyTorch |' + native_head)
    print('|---' * (len(stacks) + 2 + len(natives)) + '|')
    for w in workloads:
        best = lambda k, ww=w: min(fig(s, ww, 'peak_rss_mib', k) for s in torch_stacks) if torch_stacks else float('nan')  # noqa: E731
        ratio = per_set_ratio(lambda k: fig(ours, w, 'peak_rss_mib', k) / best(k)) if ours in stacks else float('nan')
        print(f'| {TITLES[w]} | ' + ' | '.join(f'{fig(s, w, "peak_rss_mib"):.0f}' for s in stacks) + f' | {ratio:.2f}x |'
              + native_cells(w, 'peak_rss_mib'))
    if args.json and not args.from_json:
        os.makedirs(os.path.dirname(args.json) or '.', exist_ok=True)
        with open(args.json, 'w') as fh:
            json.dump({'cpu': cpu_model(), 'args': vars(args), 'runs': runs}, fh, indent=1)


if __name__ == '__main__':
    main()
