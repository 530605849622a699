#!/usr/bin/env python
"""Golden fixtures for brainstate4j's Linear and GroupNorm, computed with JAX.

What
    For about 20 Linear and 20 GroupNorm configurations this script writes the input ``x``, the
    parameters, a random cotangent ``dy``, the forward output ``y`` and the gradients of
    ``sum(y * dy)`` with respect to the input and every parameter. The forward passes are
    BrainState v0.5.4's ``Linear.update`` and ``GroupNorm.update`` copied into plain JAX
    (``brainstate_ref.py``; see there for the one extension, channel-first GroupNorm).

How to run (from the repository root)
    .venv-ref/bin/python tools/golden/generate_layer_fixtures.py --out src/test/resources/golden/layers

    Deletes and rewrites ``<out>/*.npz`` and ``<out>/manifest.json``, then runs the self-check
    (``--no-check`` skips it, ``--check-only`` only re-checks). Deterministic: each case draws from
    ``numpy.random.default_rng(crc32(case id))`` and the npz files have fixed timestamps.

Output
    ``manifest.json``: one entry per case with the constructor arguments (Linear: ``in_size``,
    ``out_size``, ``bias``, ``mask``; GroupNorm: ``in_size`` per sample, ``num_groups`` or
    ``group_size`` as passed, ``epsilon``, ``channel_first``, ``scale``, ``bias``), the input shape
    ``x_shape`` and ``tags``. ``<id>.npz``: ZIP_STORED float32 arrays ``x``, ``dy``, ``y``, ``grad_x``,
    the parameters (``weight``, ``bias``, ``scale``), their ``grad_<name>``, and ``mask``.

Self-check
    numpy and ND4J-style npz readers agree; shapes against the manifest; ``y`` against float64 numpy
    (``tensordot``; GroupNorm with a two-pass variance); every gradient against float64 central
    differences of the numpy reference along a random direction.
"""

import collections
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

GENERATOR = 'tools/golden/generate_layer_fixtures.py'


# ----------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------

def L(in_size, out_size, x_lead, bias=True, mask='none', x_kind='normal', tags=()):
    """Linear case; x_lead: the input's axes before in_size (() = unbatched rank-1 input)."""
    in_size = list(in_size) if isinstance(in_size, (tuple, list)) else [in_size]
    out_size = list(out_size) if isinstance(out_size, (tuple, list)) else [out_size]
    return dict(layer='linear', in_size=in_size, out_size=out_size, bias=bias, mask=mask,
                x_shape=list(x_lead) + in_size, x_kind=x_kind, tags=list(tags))


LINEAR_CASES = [
    L(3, 4, (2,)),
    L(5, 1, (3,), bias=False),
    L(1, 6, (4,)),
    L(8, 8, ()),                                   # rank-1 (unbatched) input
    L(7, 3, (), bias=False),
    L(1, 1, ()),
    L(4, 5, (2, 3)),                               # rank 3: dot over the last axis
    L(6, 2, (2, 4), bias=False, mask='full'),
    L((3, 4), (3, 5), (2,)),                       # in/out sizes with a leading axis
    L((3, 4), (3, 5), ()),                         # ... fed unbatched (rank 2, no batch axis)
    L(5, 7, (3,), mask='full'),
    L(6, 4, (2,), mask='out_row'),                 # mask (1, out)
    L(4, 6, (2, 3), mask='in_col'),                # mask (in, 1)
    L(5, 3, (), mask='out_vec'),                   # mask (out,)
    L(64, 32, (4,)),
    L(512, 10, (2,)),                              # a classifier head
    L(9, 5, (1, 5), bias=False),
    L(3, 6, (2, 2, 3)),                            # rank 4
    L(10, 4, (3,), x_kind='large'),                # inputs of scale 30, bias of scale 5
    L(2, 9, (2, 2), mask='full', bias=False),
]


def G(in_size, groups=None, group_size=None, eps=1e-6, cf=False, scale=True, bias=True, batch=2,
      x_kind='normal', tags=()):
    c = dict(layer='group_norm', in_size=list(in_size))
    if group_size is not None:
        c['group_size'] = group_size
    else:
        c['num_groups'] = groups
    c.update(epsilon=eps, channel_first=cf, scale=scale, bias=bias, x_shape=[batch] + list(in_size),
             x_kind=x_kind, tags=list(tags))
    return c


GROUP_NORM_CASES = [
    G((8,), 2),                                    # rank-2 input (batch, C)
    G((6,), 1, scale=False),                       # one group: LayerNorm over the features
    G((12,), group_size=4, bias=False, batch=3),
    G((5, 6), 3),                                  # (L, C)
    G((6, 5), 2, cf=True),                         # (C, L) channel-first
    G((4, 5, 8), 8),                               # (H, W, C), groups = C
    G((4, 4, 16), 8, x_kind='offset', tags=['large_mean']),
    G((3, 5, 6), 1, cf=True),                      # (C, H, W) one group
    G((8, 4, 3), group_size=2, cf=True, scale=False, bias=False),
    G((2, 3, 4, 4), 2),                            # (D, H, W, C)
    G((4, 2, 3, 3), 4, cf=True),                   # (C, D, H, W), groups = C
    G((3, 4, 6), 3, eps=1e-3),
    G((5, 6), 2, eps=0.1, scale=False),
    G((4, 4, 4), 2, eps=1e-5, x_kind='tiny', tags=['epsilon_matters']),
    G((4, 4, 8), 2, x_kind='dyadic', tags=['large_mean', 'exact_stats']),
    G((8, 4, 4), 4, cf=True, x_kind='dyadic', tags=['large_mean', 'exact_stats']),
    G((6, 8), 4, x_kind='offset', bias=False, tags=['large_mean']),
    G((3, 3, 12), group_size=3, x_kind='offset', cf=False, tags=['large_mean']),
    G((2, 2, 32), 8, batch=3),
    G((7, 4), 2, scale=True, bias=False),
    G((16, 2, 2), 8, cf=True, eps=1e-4, x_kind='offset', tags=['large_mean']),
]


def case_id(c):
    if c['layer'] == 'linear':
        s = lambda v: 'x'.join(map(str, v))  # noqa: E731
        parts = ['linear', f"{s(c['in_size'])}to{s(c['out_size'])}", f"r{len(c['x_shape'])}"]
        if not c['bias']:
            parts.append('nobias')
        if c['mask'] != 'none':
            parts.append('m' + c['mask'].replace('_', ''))
    else:
        parts = ['groupnorm', 'x'.join(map(str, c['in_size']))]
        parts.append(f"gs{c['group_size']}" if 'group_size' in c else f"g{c['num_groups']}")
        if c['channel_first']:
            parts.append('cf')
        if not c['scale']:
            parts.append('noscale')
        if not c['bias']:
            parts.append('nobias')
        if c['epsilon'] != 1e-6:
            parts.append(f"eps{c['epsilon']:g}")
    if c['x_kind'] != 'normal':
        parts.append(c['x_kind'])
    return '_'.join(parts)


def channels(c):
    return c['in_size'][0] if c['channel_first'] else c['in_size'][-1]


def num_groups(c):
    return c['num_groups'] if 'num_groups' in c else channels(c) // c['group_size']


# ----------------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------------

def draw(c, rng):
    xs = tuple(c['x_shape'])
    kind = c['x_kind']
    a = {}
    if c['layer'] == 'linear':
        fan_in, fan_out = c['in_size'][-1], c['out_size'][-1]
        a['x'] = rng.standard_normal(xs) * (30.0 if kind == 'large' else 1.0)
        a['weight'] = rng.standard_normal((fan_in, fan_out)) * math.sqrt(2.0 / fan_in)
        if c['bias']:
            a['bias'] = rng.standard_normal(fan_out) * (5.0 if kind == 'large' else 0.5)
        mshape = {'none': None, 'full': (fan_in, fan_out), 'out_row': (1, fan_out), 'in_col': (fan_in, 1),
                  'out_vec': (fan_out,)}[c['mask']]
        if mshape is not None:
            m = (rng.random(mshape) < 0.6).astype(np.float64)
            m.flat[0], m.flat[-1] = 0.0, 1.0
            a['mask'] = m
        return a
    C = channels(c)
    cax = 1 if c['channel_first'] else len(xs) - 1
    bshape = [1] * len(xs)
    bshape[cax] = C
    if kind == 'normal':
        x = rng.standard_normal(xs) * rng.uniform(0.5, 2.0, bshape) + rng.normal(0, 0.5, bshape)
    elif kind == 'offset':
        # per-channel means 4..8 standard deviations away from zero, so E[x^2] >> Var[x]; kept
        # moderate because float32 fast variance loses ~ (mean/std)^2 * 6e-8 relative accuracy
        x = rng.standard_normal(xs) + rng.choice([-1.0, 1.0], bshape) * rng.uniform(4.0, 8.0, bshape)
    elif kind == 'dyadic':
        # mean 32 + q/4 per (sample, group), values 32 + (k + q)/4 with the k of a group summing to
        # 0: every x, x^2, partial sum (groups of 32 or 64 elements, a power of two), the mean and
        # its square are exact in float32, so E[x^2] - E[x]^2 is exact in any summation order
        # although E[x^2] / Var[x] ~ 700
        x = dyadic(c, rng)
    elif kind == 'tiny':
        # standard deviation 3e-3: Var ~ 1e-5, the same order as epsilon
        x = 3e-3 * rng.standard_normal(xs) + rng.normal(0, 1e-3, bshape)
    else:
        raise KeyError(kind)
    a['x'] = x
    if c['scale']:
        a['scale'] = rng.uniform(0.5, 1.5, C) * rng.choice([-1.0, 1.0], C, p=[0.2, 0.8])
    if c['bias']:
        a['bias'] = rng.normal(0, 0.5, C)
    return a


def dyadic(c, rng):
    xs = tuple(c['x_shape'])
    cf = c['channel_first']
    last = (xs[0],) + (xs[2:] + (xs[1],) if cf else xs[1:])  # channels-last shape
    b, C, G = last[0], last[-1], num_groups(c)
    S = int(np.prod(last[1:-1]))
    n = S * (C // G)
    assert n & (n - 1) == 0 and n % 2 == 0, 'dyadic cases need a power-of-two group'
    g = np.empty((b, G, n))
    for i in range(b):
        for j in range(G):
            k = rng.integers(-8, 9, n // 2)
            g[i, j] = rng.permutation(np.concatenate([k, -k])) + rng.integers(-4, 5)
    x = 32.0 + g.reshape(b, G, S, C // G).transpose(0, 2, 1, 3).reshape(last) / 4.0
    return np.moveaxis(x, -1, 1) if cf else x


PARAMS = ('weight', 'bias', 'scale')


def forward(c, arrays):
    """The JAX forward as a function of (x, params)."""
    if c['layer'] == 'linear':
        mask = jnp.asarray(arrays['mask']) if 'mask' in arrays else None
        return lambda x, p: ref.linear_update(x, p, mask)
    return lambda x, p: ref.group_norm_update(x, p, num_groups(c), c['epsilon'], c['channel_first'])


def compute(c, arrays, rng):
    arrays = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}
    params = {k: jnp.asarray(arrays[k]) for k in PARAMS if k in arrays}
    y, vjp = jax.vjp(forward(c, arrays), jnp.asarray(arrays['x']), params)
    dy = np.ascontiguousarray(rng.standard_normal(y.shape), dtype=np.float32)
    gx, gp = vjp(jnp.asarray(dy))
    out = dict(arrays, dy=dy, y=np.asarray(y), grad_x=np.asarray(gx))
    for k in gp:
        out['grad_' + k] = np.asarray(gp[k])
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def manifest_entry(c):
    return {'id': c['id'], **{k: v for k, v in c.items() if not k.startswith('_') and k != 'id'}}


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for p in glob.glob(os.path.join(out_dir, '*.npz')) + glob.glob(os.path.join(out_dir, 'manifest.json')):
        os.remove(p)
    cases = [dict(c) for c in LINEAR_CASES + GROUP_NORM_CASES]
    seen = collections.Counter()
    for c in cases:
        base = case_id(c)
        seen[base] += 1
        c['id'] = base if seen[base] == 1 else f'{base}_{seen[base]}'
        rng = np.random.default_rng(zlib.crc32(c['id'].encode()))
        arrays = compute(c, draw(c, rng), rng)
        if c['layer'] == 'linear':
            lead = c['x_shape'][:len(c['x_shape']) - len(c['in_size'])]
            assert list(arrays['y'].shape) == lead + c['out_size'], c['id']
        else:
            assert list(arrays['y'].shape) == c['x_shape'], c['id']
        ref.write_npz(os.path.join(out_dir, c['id'] + '.npz'), arrays)
    entries = [manifest_entry(c) for c in cases]
    manifest = {'generator': GENERATOR, 'jax_version': jax.__version__, 'numpy_version': np.__version__}
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as fh:
        fh.write(json.dumps(manifest)[:-1] + ', "cases": [\n')
        fh.write(',\n'.join('  ' + json.dumps(m) for m in entries))
        fh.write('\n]}\n')
    n = collections.Counter(c['layer'] for c in cases)
    print(f'wrote {len(cases)} cases ({dict(n)}) to {out_dir}')


# ----------------------------------------------------------------------------
# Self-check
# ----------------------------------------------------------------------------

def np_forward(m, a, overrides=None):
    a = dict(a)
    if overrides:
        a.update(overrides)
    f = lambda k: None if k not in a else np.asarray(a[k], np.float64)  # noqa: E731
    if m['layer'] == 'linear':
        return ref.np_linear(f('x'), f('weight'), f('bias'), f('mask'))
    return ref.np_group_norm(f('x'), num_groups(m), m['epsilon'], f('scale'), f('bias'), m['channel_first'])


def check(out_dir):
    problems = []
    cases = ref.manifest_cases(out_dir, problems)
    stats = collections.defaultdict(float)
    rng = np.random.default_rng(4321)
    for m in cases:
        cid = m['id']
        a = ref.case_arrays(out_dir, cid, problems)
        for k, v in a.items():
            if v.dtype != np.float32 or v.ndim == 0 or not v.flags.c_contiguous:
                problems.append(f'{cid}: {k} dtype/rank/order')
        xs = tuple(m['x_shape'])
        if m['layer'] == 'linear':
            ys = xs[:len(xs) - len(m['in_size'])] + tuple(m['out_size'])
            exp = {'x': xs, 'y': ys, 'weight': (m['in_size'][-1], m['out_size'][-1])}
            if m['bias']:
                exp['bias'] = (m['out_size'][-1],)
            if m['mask'] != 'none':
                try:
                    np.broadcast_to(a.get('mask'), exp['weight'])
                except (ValueError, TypeError):
                    problems.append(f'{cid}: mask missing or not broadcastable')
        else:
            C = channels(m)
            if C % num_groups(m) or len(xs) != len(m['in_size']) + 1:
                problems.append(f'{cid}: bad configuration')
            exp = {'x': xs, 'y': xs}
            for p in ('scale', 'bias'):
                if m[p]:
                    exp[p] = (C,)
        for k in list(exp):
            if k != 'y':
                exp['grad_' + k] = exp[k]
        exp['dy'] = exp['y']
        for k, shp in exp.items():
            if k not in a or a[k].shape != shp:
                problems.append(f'{cid}: {k} missing or shape {a[k].shape if k in a else None} != {shp}')
        extra = set(a) - set(exp) - {'mask'}
        if extra:
            problems.append(f'{cid}: unexpected arrays {extra}')
        kind = m['layer']
        yref = np_forward(m, a)
        err = np.max(np.abs(yref - a['y'])) / (1.0 + np.max(np.abs(yref)))
        stats[f'max_rel_err_y_{kind}'] = max(stats[f'max_rel_err_y_{kind}'], err)
        if err > 2e-5:
            problems.append(f'{cid}: y differs from the float64 numpy reference by {err:.2e}')
        if 'exact_stats' in m['tags']:  # the float32 statistics are exact: so is y, up to a few ulps
            e = np.max(np.abs(yref - a['y'])) / np.max(np.abs(yref))
            stats['max_rel_err_y_exact_stats'] = max(stats['max_rel_err_y_exact_stats'], e)
            if e > 1e-6:
                problems.append(f'{cid}: exact-statistics case off by {e:.2e}')
        dy = a['dy'].astype(np.float64)
        loss = lambda ov: float(np.sum(np_forward(m, a, ov) * dy))  # noqa: E731
        for key in ('x', 'weight', 'bias', 'scale'):
            if key not in a:
                continue
            v = rng.standard_normal(a[key].shape)
            base = a[key].astype(np.float64)
            h = 1e-4 * max(1.0, float(np.std(base)))
            if kind == 'group_norm' and key == 'x':
                h = 1e-7 if m['x_kind'] == 'tiny' else 1e-5  # well inside the groups' spread
            fd = (loss({key: base + h * v}) - loss({key: base - h * v})) / (2 * h)
            g = a['grad_' + key].astype(np.float64)
            an = float(np.sum(g * v))
            scale = np.sqrt(np.sum(g ** 2) * np.sum(v * v)) + 1e-6
            rel = abs(fd - an) / scale
            stats[f'max_rel_err_grad_{kind}_{key}'] = max(stats[f'max_rel_err_grad_{kind}_{key}'], rel)
            if abs(fd - an) > 1e-4 * scale + 1e-7:
                problems.append(f'{cid}: grad_{key} directional check off by {rel:.2e} ({an} vs {fd})')
    size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(out_dir, '*')))
    n = collections.Counter(c['layer'] for c in cases)
    print(f'check: {len(cases)} cases ({dict(n)}), folder {size / 1e3:.0f} kB')
    for k in sorted(stats):
        print(f'  {k}: {stats[k]:.2e}')
    return fixture_cli.verdict(problems)


if __name__ == '__main__':
    fixture_cli.main(__doc__, 'src/test/resources/golden/layers', generate, check)
