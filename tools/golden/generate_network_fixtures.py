#!/usr/bin/env python
"""Golden fixtures for the tutorial's whole networks, with parameters exchanged through .npz.

What
    For SimpleCNN, SimpleCNN weight-standardized, ConvAutoencoder, SimpleUNet and SimpleUNet
    weight-standardized (brainstate4j's ``org.brainstate4j.models``, built with the settings in
    ``NETWORKS``), this script draws random parameters and writes

    * ``<name>.params.npz``: the parameters keyed by their path in the Java model
      (``Module.parameters()``: child name + "/" + local name, e.g. ``conv1/weight``,
      ``enc1_norm/scale``), in the Java model's order. This is the parameter exchange format
      between BrainState/JAX and brainstate4j: a plain ``np.savez`` of path -> array (written
      uncompressed, see below);
    * ``<name>.io.npz``: a batch-2 input ``x``, the JAX output ``y``, the loss ``mean(y^2)`` as
      ``loss`` (shape (1,)), its gradient ``grad_x`` with respect to ``x`` and, for the network
      marked so in ``NETWORKS`` (only simple_cnn_ws, the tutorial's classifier with every layer
      type of its training path: the folder must stay under 3 MB), its gradients ``grad/<path>``
      with respect to every parameter.

    The networks are written in plain JAX from BrainState 0.5.4's layers (``brainstate_ref.py``:
    Conv2d, ScaledWSConv2d, ConvTranspose2d, Linear, GroupNorm) composed as the Java models do:
    the tutorial's ReLU placement, ``lax.reduce_window(max, 2x2, stride 2, VALID)`` pooling, flatten
    by ``reshape(batch, -1)`` in NHWC order, GroupNorm(8 groups) after every weight-standardized conv
    and every transposed conv in the WS variants, sigmoid at the autoencoder's end, and
    ``concatenate([decoder output, encoder skip], axis=-1)`` in the U-Net.

How to run (from the repository root)
    .venv-ref/bin/python tools/golden/generate_network_fixtures.py --out src/test/resources/golden/networks

    Deletes and rewrites ``<out>/*.npz`` and ``<out>/manifest.json``, then runs the self-check
    (``--no-check`` skips it, ``--check-only`` only re-checks). Deterministic (seeded from
    ``crc32(name)``, fixed zip timestamps).

Output format
    ZIP_STORED float32 ``.npy`` entries (ND4J 1.0.0-M2.1's ``Nd4j.createFromNpzFile`` cannot inflate
    compressed entries), rank >= 1. ``manifest.json`` lists each network's Java class, builder
    settings, parameter paths and shapes in order, and the keys of its io file.

Self-check
    numpy and ND4J-style npz readers agree; parameter shapes against the spec formulas; ``y`` and
    ``loss`` against a float64 numpy forward pass (gather convolution, scatter transposed
    convolution, two-pass GroupNorm variance); ``grad_x`` and every stored parameter gradient
    against float64 central differences of that forward pass along a random direction.
"""

import glob
import json
import math
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import brainstate_ref as ref  # noqa: E402
import fixture_cli  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

GENERATOR = 'tools/golden/generate_network_fixtures.py'
BATCH = 2
GN_GROUPS = 8
WS_EPS = 1e-4

NETWORKS = [
    dict(name='simple_cnn', model='SimpleCNN', builder=dict(inSize=[32, 32, 3], numClasses=10), param_grads=False),
    dict(name='simple_cnn_ws', model='SimpleCNN', builder=dict(inSize=[32, 32, 3], numClasses=10, weightStandardized=True),
         param_grads=True),
    dict(name='conv_autoencoder', model='ConvAutoencoder', builder=dict(inSize=[32, 32, 3], latentDim=16), param_grads=False),
    dict(name='simple_unet', model='SimpleUNet', builder=dict(inSize=[32, 32, 3], numClasses=3, width=8), param_grads=False),
    dict(name='simple_unet_ws', model='SimpleUNet',
         builder=dict(inSize=[32, 32, 3], numClasses=3, width=8, weightStandardized=True), param_grads=False),
]


# ----------------------------------------------------------------------------
# Building blocks (JAX), each registering its parameters under its Java path
# ----------------------------------------------------------------------------

class Net:
    def __init__(self):
        self.specs = []  # (path, kind, info), in the Java model's parameter order
        self.mods = {}

    def conv(self, name, family, in_size, out, k, s):
        cfg = dict(family=family, rank=2, in_size=list(in_size), channel_first=False, out_channels=out,
                   stride=s, kernel_size=k, lhs_dilation=1, rhs_dilation=1, groups=1, padding='SAME', eps=WS_EPS)
        layer = ref.Layer(cfg)
        self.mods[name] = ('conv', layer)
        self.specs.append((name + '/weight', family, dict(shape=layer.kernel_shape, k=k, s=s, cin=in_size[-1], cout=out)))
        if family == 'scaled_ws':
            self.specs.append((name + '/gain', 'gain', dict(shape=layer.gain_shape)))
        return layer.out_size({'weight': layer.kernel_shape}, None)

    def norm(self, name, size):
        self.mods[name] = ('norm', None)
        c = size[-1]
        self.specs.append((name + '/scale', 'gn_scale', dict(shape=(c,))))
        self.specs.append((name + '/bias', 'gn_bias', dict(shape=(c,))))

    def linear(self, name, fan_in, fan_out):
        self.mods[name] = ('linear', None)
        self.specs.append((name + '/weight', 'linear', dict(shape=(fan_in, fan_out))))
        self.specs.append((name + '/bias', 'linear_bias', dict(shape=(fan_out,))))

    def apply(self, name, p, x):
        kind, layer = self.mods[name]
        own = {k.split('/', 1)[1]: v for k, v in p.items() if k.split('/', 1)[0] == name}
        if kind == 'conv':
            return layer.update(x, own, None)
        if kind == 'norm':
            return ref.group_norm_update(x, own, GN_GROUPS)
        return ref.linear_update(x, own)


def max_pool_2x2(x):
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), 'VALID')


class SimpleCNN(Net):
    def __init__(self, inSize, numClasses, weightStandardized=False):
        super().__init__()
        self.ws = weightStandardized
        h, w, c = inSize
        for i, width in enumerate((32, 64, 128)):
            out = self.conv(f'conv{i + 1}', 'scaled_ws' if self.ws else 'conv', (h, w, c), width, 3, 1)
            if self.ws:
                self.norm(f'norm{i + 1}', out)
            h, w, c = h // 2, w // 2, width
        self.linear('fc', h * w * c, numClasses)

    def __call__(self, p, x):
        h = x
        for i in range(3):
            h = self.apply(f'conv{i + 1}', p, h)
            if self.ws:
                h = self.apply(f'norm{i + 1}', p, h)
            h = max_pool_2x2(jax.nn.relu(h))
        return self.apply('fc', p, h.reshape(h.shape[0], -1))


class ConvAutoencoder(Net):
    def __init__(self, inSize, latentDim):
        super().__init__()
        h, w, c = inSize
        self.conv('enc_conv1', 'conv', (h, w, c), 32, 4, 2)
        self.conv('enc_conv2', 'conv', (h // 2, w // 2, 32), 64, 4, 2)
        self.conv('enc_conv3', 'conv', (h // 4, w // 4, 64), latentDim, 4, 2)
        self.conv('dec_conv1', 'transpose', (h // 8, w // 8, latentDim), 64, 4, 2)
        self.conv('dec_conv2', 'transpose', (h // 4, w // 4, 64), 32, 4, 2)
        self.conv('dec_conv3', 'transpose', (h // 2, w // 2, 32), c, 4, 2)

    def __call__(self, p, x):
        h = x
        for name in ('enc_conv1', 'enc_conv2', 'enc_conv3', 'dec_conv1', 'dec_conv2'):
            h = jax.nn.relu(self.apply(name, p, h))
        return jax.nn.sigmoid(self.apply('dec_conv3', p, h))


class SimpleUNet(Net):
    def __init__(self, inSize, numClasses, width, weightStandardized=False):
        super().__init__()
        self.ws = weightStandardized
        fam = 'scaled_ws' if self.ws else 'conv'
        h, w, c = inSize
        w1, w2, w4, w8 = width, 2 * width, 4 * width, 8 * width
        self.order = []

        def with_norm(name, out):
            self.order.append(name)
            if self.ws:
                self.norm(name + '_norm', out)

        with_norm('enc1', self.conv('enc1', fam, (h, w, c), w1, 3, 1))
        with_norm('enc2', self.conv('enc2', fam, (h, w, w1), w2, 3, 2))
        with_norm('enc3', self.conv('enc3', fam, (h // 2, w // 2, w2), w4, 3, 2))
        with_norm('bottleneck', self.conv('bottleneck', fam, (h // 4, w // 4, w4), w8, 3, 2))
        with_norm('dec1', self.conv('dec1', 'transpose', (h // 8, w // 8, w8), w4, 4, 2))
        with_norm('dec2', self.conv('dec2', 'transpose', (h // 4, w // 4, w4 + w4), w2, 4, 2))
        with_norm('dec3', self.conv('dec3', 'transpose', (h // 2, w // 2, w2 + w2), w1, 4, 2))
        self.conv('output', fam, (h, w, w1 + w1), numClasses, 1, 1)

    def block(self, name, p, x):
        h = self.apply(name, p, x)
        if self.ws:
            h = self.apply(name + '_norm', p, h)
        return jax.nn.relu(h)

    def __call__(self, p, x):
        e1 = self.block('enc1', p, x)
        e2 = self.block('enc2', p, e1)
        e3 = self.block('enc3', p, e2)
        b = self.block('bottleneck', p, e3)
        d1 = jnp.concatenate([self.block('dec1', p, b), e3], axis=-1)
        d2 = jnp.concatenate([self.block('dec2', p, d1), e2], axis=-1)
        d3 = jnp.concatenate([self.block('dec3', p, d2), e1], axis=-1)
        return self.apply('output', p, d3)


MODELS = {'SimpleCNN': SimpleCNN, 'ConvAutoencoder': ConvAutoencoder, 'SimpleUNet': SimpleUNet}


def build(spec):
    return MODELS[spec['model']](**spec['builder'])


# ----------------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------------

def draw_params(net, rng):
    """Random parameters of sensible scale: Kaiming-like weights, non-trivial gains, scales, biases."""
    out = {}
    for path, kind, info in net.specs:
        shape = info['shape']
        if kind == 'conv':
            v = rng.standard_normal(shape) * math.sqrt(2.0 / (info['k'] ** 2 * info['cin']))
        elif kind == 'transpose':  # each output sums (k/s)^2 * cin taps
            v = rng.standard_normal(shape) * math.sqrt(2.0 * info['s'] ** 2 / (info['k'] ** 2 * info['cin']))
        elif kind == 'scaled_ws':  # standardized anyway: give each out-channel its own offset and spread
            v = (rng.standard_normal(shape) * rng.uniform(0.5, 2.0, shape[-1]) + rng.normal(0, 0.3, shape[-1])) \
                * math.sqrt(2.0 / (info['k'] ** 2 * info['cin']))
        elif kind == 'gain':
            v = rng.uniform(0.6, 1.6, shape)
        elif kind == 'gn_scale':
            v = rng.uniform(0.5, 1.5, shape)
        elif kind == 'gn_bias':
            v = rng.normal(0.0, 0.3, shape)
        elif kind == 'linear':
            v = rng.standard_normal(shape) / math.sqrt(shape[0])
        elif kind == 'linear_bias':
            v = rng.normal(0.0, 0.1, shape)
        else:
            raise KeyError(kind)
        out[path] = np.ascontiguousarray(v, dtype=np.float32)
    return out


def draw_input(spec, rng):
    shape = (BATCH,) + tuple(spec['builder']['inSize'])
    x = rng.random(shape) if spec['model'] == 'ConvAutoencoder' else rng.standard_normal(shape)
    return np.ascontiguousarray(x, dtype=np.float32)


def compute(spec, net, params, x):
    def loss_fn(p, xx):
        y = net(p, xx)
        return jnp.mean(y * y), y

    jp = {k: jnp.asarray(v) for k, v in params.items()}
    (loss, y), (gp, gx) = jax.value_and_grad(loss_fn, argnums=(0, 1), has_aux=True)(jp, jnp.asarray(x))
    io = {'x': x, 'y': np.asarray(y), 'loss': np.asarray(loss).reshape(1), 'grad_x': np.asarray(gx)}
    if spec['param_grads']:
        for path in params:
            io['grad/' + path] = np.asarray(gp[path])
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in io.items()}


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for p in glob.glob(os.path.join(out_dir, '*.npz')) + glob.glob(os.path.join(out_dir, 'manifest.json')):
        os.remove(p)
    entries = []
    for spec in NETWORKS:
        net = build(spec)
        rng = np.random.default_rng(zlib.crc32(spec['name'].encode()))
        params = draw_params(net, rng)
        x = draw_input(spec, rng)
        io = compute(spec, net, params, x)
        ref.write_npz(os.path.join(out_dir, spec['name'] + '.params.npz'), params)
        ref.write_npz(os.path.join(out_dir, spec['name'] + '.io.npz'), io)
        entries.append(dict(name=spec['name'], model=spec['model'], builder=spec['builder'],
                            parameters=[[p, list(v.shape)] for p, v in params.items()],
                            io=list(io), y_shape=list(io['y'].shape)))
        print(f"{spec['name']}: {len(params)} parameters ({sum(v.size for v in params.values())} values), "
              f"y {io['y'].shape}, loss {float(io['loss'][0]):.5g}")
    manifest = {'generator': GENERATOR, 'jax_version': jax.__version__, 'numpy_version': np.__version__}
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as fh:
        fh.write(json.dumps(manifest)[:-1] + ', "networks": [\n')
        fh.write(',\n'.join('  ' + json.dumps(e) for e in entries))
        fh.write('\n]}\n')


# ----------------------------------------------------------------------------
# Self-check: float64 numpy forward pass written from the spec, and central differences
# ----------------------------------------------------------------------------

def np_same_pads(size, k, s):  # spec section 4
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return (total // 2, total - total // 2)


def np_transpose_same_pads(k, s):  # spec section 5
    L = k + s - 2
    lo = k - 1 if s > k - 1 else math.ceil(L / 2)
    return (lo, L - lo)


class NpRef:
    """The same networks as float64 numpy code, driven by the parameter names alone."""

    def __init__(self, spec, params):
        self.spec, self.p = spec, {k: np.asarray(v, np.float64) for k, v in params.items()}

    def conv(self, name, x, s, transpose=False):
        w = self.p[name + '/weight']
        k = w.shape[0]
        if name + '/gain' in self.p:  # spec section 3
            mu = w.mean(axis=(0, 1, 2), keepdims=True)
            var = ((w - mu) ** 2).mean(axis=(0, 1, 2), keepdims=True)
            w = (w - mu) / np.sqrt(np.maximum(var * np.prod(w.shape[:-1]), WS_EPS)) * self.p[name + '/gain']
        if transpose:
            pads = [np_transpose_same_pads(k, s)] * 2
            return ref.ref_conv_transpose(x, w, (s, s), pads, (1, 1), 1)
        pads = [np_same_pads(x.shape[1], k, s), np_same_pads(x.shape[2], k, s)]
        return ref.ref_conv_forward(x, w, (s, s), pads, (1, 1), (1, 1), 1)

    def norm(self, name, x):
        return ref.np_group_norm(x, GN_GROUPS, 1e-6, self.p[name + '/scale'], self.p[name + '/bias'])

    def __call__(self, x):
        relu = lambda a: np.maximum(a, 0.0)  # noqa: E731
        b = self.spec['builder']
        ws = b.get('weightStandardized', False)
        if self.spec['model'] == 'SimpleCNN':
            h = x
            for i in (1, 2, 3):
                h = self.conv(f'conv{i}', h, 1)
                if ws:
                    h = self.norm(f'norm{i}', h)
                h = relu(h)
                B, H, W, C = h.shape
                h = h[:, :H // 2 * 2, :W // 2 * 2].reshape(B, H // 2, 2, W // 2, 2, C).max(axis=(2, 4))
            return ref.np_linear(h.reshape(h.shape[0], -1), self.p['fc/weight'], self.p['fc/bias'])
        if self.spec['model'] == 'ConvAutoencoder':
            h = x
            for name in ('enc_conv1', 'enc_conv2', 'enc_conv3'):
                h = relu(self.conv(name, h, 2))
            for name in ('dec_conv1', 'dec_conv2'):
                h = relu(self.conv(name, h, 2, transpose=True))
            return 1.0 / (1.0 + np.exp(-self.conv('dec_conv3', h, 2, transpose=True)))

        def block(name, h, s, transpose=False):
            h = self.conv(name, h, s, transpose)
            return relu(self.norm(name + '_norm', h) if ws else h)

        e1 = block('enc1', x, 1)
        e2 = block('enc2', e1, 2)
        e3 = block('enc3', e2, 2)
        bn = block('bottleneck', e3, 2)
        d1 = np.concatenate([block('dec1', bn, 2, True), e3], axis=-1)
        d2 = np.concatenate([block('dec2', d1, 2, True), e2], axis=-1)
        d3 = np.concatenate([block('dec3', d2, 2, True), e1], axis=-1)
        return self.conv('output', d3, 1)


def expected_shapes(spec):
    """Parameter paths and shapes from the Java models' structure and the spec's shape rules."""
    b = spec['builder']
    H, W, C = b['inSize']
    ws = b.get('weightStandardized', False)
    out = []

    def conv(name, k, cin, cout, transpose=False, norm=None, ws_conv=False):
        out.append((name + '/weight', (k, k, cout, cin) if transpose else (k, k, cin, cout)))
        if ws_conv:
            out.append((name + '/gain', (1, 1, 1, cout)))
        if norm:
            out.extend([(norm + '/scale', (cout,)), (norm + '/bias', (cout,))])

    if spec['model'] == 'SimpleCNN':
        cin = C
        for i, width in enumerate((32, 64, 128)):
            conv(f'conv{i + 1}', 3, cin, width, norm=f'norm{i + 1}' if ws else None, ws_conv=ws)
            cin = width
        out.extend([('fc/weight', ((H // 8) * (W // 8) * 128, b['numClasses'])), ('fc/bias', (b['numClasses'],))])
    elif spec['model'] == 'ConvAutoencoder':
        z = b['latentDim']
        for name, cin, cout, tr in (('enc_conv1', C, 32, False), ('enc_conv2', 32, 64, False), ('enc_conv3', 64, z, False),
                                    ('dec_conv1', z, 64, True), ('dec_conv2', 64, 32, True), ('dec_conv3', 32, C, True)):
            conv(name, 4, cin, cout, transpose=tr)
    else:
        w = b['width']
        for name, k, cin, cout, tr in (('enc1', 3, C, w, False), ('enc2', 3, w, 2 * w, False),
                                       ('enc3', 3, 2 * w, 4 * w, False), ('bottleneck', 3, 4 * w, 8 * w, False),
                                       ('dec1', 4, 8 * w, 4 * w, True), ('dec2', 4, 8 * w, 2 * w, True),
                                       ('dec3', 4, 4 * w, w, True)):
            conv(name, k, cin, cout, transpose=tr, norm=name + '_norm' if ws else None, ws_conv=ws and not tr)
        conv('output', 1, 2 * w, b['numClasses'], ws_conv=ws)
    return out


def check(out_dir):
    with open(os.path.join(out_dir, 'manifest.json')) as fh:
        entries = {e['name']: e for e in json.load(fh)['networks']}
    problems = []
    rng = np.random.default_rng(2024)
    if sorted(entries) != sorted(s['name'] for s in NETWORKS):
        problems.append('manifest networks differ from NETWORKS')
    stats = {}
    for spec in NETWORKS:
        name = spec['name']
        files = {}
        for part in ('params', 'io'):
            path = os.path.join(out_dir, f'{name}.{part}.npz')
            with np.load(path, allow_pickle=False) as z:
                files[part] = {k: z[k] for k in z.files}
            j = ref.nd4j_npz_read(path)
            if list(j) != list(files[part]) or any(not np.array_equal(j[k], files[part][k]) for k in j):
                problems.append(f'{name}.{part}: ND4J-style reader disagrees with numpy')
            for k, v in files[part].items():
                if v.dtype != np.float32 or v.ndim == 0 or not v.flags.c_contiguous:
                    problems.append(f'{name}.{part}: {k} dtype/rank/order')
        params, io = files['params'], files['io']
        exp = expected_shapes(spec)
        if [(k, tuple(v.shape)) for k, v in params.items()] != exp:
            problems.append(f'{name}: parameter paths/shapes {[(k, v.shape) for k, v in params.items()]} != {exp}')
            continue
        if [[k, list(s)] for k, s in exp] != entries[name]['parameters']:
            problems.append(f'{name}: manifest parameters differ')
        want_io = ['x', 'y', 'loss', 'grad_x'] + (['grad/' + k for k in params] if spec['param_grads'] else [])
        if list(io) != want_io or entries[name]['io'] != want_io:
            problems.append(f'{name}: io keys {list(io)} != {want_io}')
        x64 = io['x'].astype(np.float64)
        y = NpRef(spec, params)(x64)
        err = np.max(np.abs(y - io['y'])) / np.max(np.abs(y))
        lerr = abs(np.mean(y * y) - io['loss'][0]) / np.mean(y * y)
        stats[name] = [f'y {err:.1e}', f'loss {lerr:.1e}']
        if y.shape != io['y'].shape or err > 2e-5 or lerr > 2e-5:
            problems.append(f'{name}: y/loss differ from the float64 numpy reference by {err:.2e} / {lerr:.2e}')
        worst = 0.0
        # a gradient that (nearly) cancels, e.g. a gain right before a GroupNorm of one channel per
        # group, is judged on the network's largest gradient, as the Java test does
        gmax = max(float(np.max(np.abs(v))) for k, v in io.items() if k.startswith('grad'))
        targets = [('x', 'grad_x')] + ([(k, 'grad/' + k) for k in params] if spec['param_grads'] else [])
        for key, gkey in targets:
            base = x64 if key == 'x' else params[key].astype(np.float64)
            v = rng.standard_normal(base.shape)
            h = 1e-6

            def loss(a):
                if key == 'x':
                    yy = NpRef(spec, params)(a)
                else:
                    yy = NpRef(spec, dict(params, **{key: a}))(x64)
                return float(np.mean(yy * yy))

            fd = (loss(base + h * v) - loss(base - h * v)) / (2 * h)
            g = io[gkey].astype(np.float64)
            an = float(np.sum(g * v))
            scale = np.sqrt(np.sum(v * v)) * max(np.sqrt(np.sum(g * g)), gmax)
            rel = abs(fd - an) / scale
            worst = max(worst, rel)
            if rel > 1e-4:
                problems.append(f'{name}: {gkey} directional check off by {rel:.2e} ({an} vs {fd})')
        stats[name].append(f'{len(targets)} gradients, worst directional {worst:.1e}')
    size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(out_dir, '*')))
    print(f'check: {len(NETWORKS)} networks, folder {size / 1e6:.2f} MB')
    for k, v in stats.items():
        print(f'  {k}: ' + ', '.join(v))
    if size >= 3e6:
        problems.append(f'folder is {size / 1e6:.2f} MB, over the 3 MB budget')
    return fixture_cli.verdict(problems)


if __name__ == '__main__':
    fixture_cli.main(__doc__, 'src/test/resources/golden/networks', generate, check)
