#!/usr/bin/env python
"""Golden fixtures for GroupNorm's float32 precision and its epsilon rule, computed with JAX in float64.

What
    GroupNorm inputs on which float32 arithmetic is hard: groups whose mean dwarfs their spread
    (mean / standard deviation from 25 to 250, e.g. values near 1.3 that differ by 0.05),
    one-element groups, constant groups, and epsilon of 0 and below (BrainState accepts any
    epsilon: ``(x - mean) * rsqrt(var + epsilon)`` is finite where ``var + epsilon > 0``, NaN
    where a constant group meets ``epsilon <= 0``), for every per-sample rank (features ``(C,)``,
    1-D, 2-D and 3-D spatial) and both layouts. For each case it writes the float32 input ``x``
    and parameters, a cotangent ``dy``, and the EXACT value of BrainState 0.5.4's formula on those
    float32 numbers (``GroupNorm.update``, ``brainstate_ref.group_norm_update``, evaluated in
    float64): the output ``y`` and the gradients of ``sum(y * dy)`` for ``x``, ``scale`` and
    ``bias``, rounded to float32 at the end. So the Java test measures brainstate4j's float32
    error against the formula itself, not against another float32 evaluation of it.

    The manifest also records, per case, BrainState's own float32 error on the same inputs (the
    formula evaluated by JAX in float32 against the float64 value; ``brainstate_f32_error``), to
    show what the fast variance ``E[x^2] - E[x]^2`` costs in float32.

How to run (from the repository root)
    .venv-ref/bin/python tools/golden/generate_groupnorm_precision_fixtures.py --out src/test/resources/golden/groupnorm_precision

    Deletes and rewrites ``<out>/*.npz`` and ``<out>/manifest.json``, then self-checks against a
    float64 numpy reference with a two-pass variance (``--no-check``, ``--check-only``).
    Deterministic: each case draws from ``numpy.random.default_rng(crc32(case id))``.

Output
    ``manifest.json``: per case ``in_size``, ``num_groups``, ``epsilon``, ``channel_first``,
    ``x_shape``, ``x_kind``, ``tags``, ``mean_over_std`` (the largest |mean| / std of a group),
    ``brainstate_f32_error`` (max abs error / scale of y and each gradient). ``<id>.npz``: float32
    ``x``, ``scale``, ``bias``, ``dy``, ``y``, ``grad_x``, ``grad_scale``, ``grad_bias`` (NaN where
    the formula gives NaN).
"""

import glob
import json
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import brainstate_ref as ref  # noqa: E402
import fixture_cli  # noqa: E402
import jax  # noqa: E402

jax.config.update('jax_enable_x64', True)  # the reference values: the formula in float64

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

GENERATOR = 'tools/golden/generate_groupnorm_precision_fixtures.py'


def G(in_size, groups, kind, cf=False, eps=1e-6, batch=2, tags=()):
    return dict(in_size=list(in_size), num_groups=groups, epsilon=eps, channel_first=cf,
                x_shape=[batch] + list(in_size), x_kind=kind, tags=list(tags))


# Per-sample shapes of every rank, channels last; channel-first cases move C to the front.
RANKS = {1: (16,), 2: (12, 8), 3: (6, 5, 8), 4: (3, 4, 4, 8)}


def cases():
    out = []
    for rank, shape in RANKS.items():
        for cf in (False, True):
            s = (shape[-1],) + shape[:-1] if cf else shape
            out.append(G(s, 4, 'near_1.3_spread_0.05', cf, tags=['large_mean']))
            out.append(G(s, 2, 'mean_100_std_1', cf, tags=['large_mean']))
            out.append(G(s, 4, 'mean_minus_40_std_0.16', cf, tags=['large_mean']))
    out += [
        # one-element groups: the variance is 0, y is the bias
        G((8,), 8, 'normal', tags=['one_element_groups']),
        G((8,), 8, 'normal', cf=True, batch=3, tags=['one_element_groups']),
        G((1, 1, 6), 6, 'normal', tags=['one_element_groups']),
        G((6, 1, 1), 6, 'normal', cf=True, tags=['one_element_groups']),
        # a constant group among others: y = bias there (epsilon > 0)
        G((4, 4, 8), 4, 'one_constant_group', tags=['constant_group']),
        G((8, 4, 4), 4, 'one_constant_group', cf=True, tags=['constant_group']),
        # BrainState accepts any epsilon: 0 and below are finite where var + epsilon > 0 ...
        G((4, 4, 8), 4, 'normal', eps=0.0, tags=['epsilon_zero']),
        G((5, 6), 3, 'normal', eps=-1e-3, tags=['epsilon_negative']),
        G((6, 5), 3, 'normal', cf=True, eps=-1e-3, tags=['epsilon_negative']),
        # ... and NaN in a constant group (rsqrt(0) = inf times 0; rsqrt of a negative number)
        G((4, 4, 8), 4, 'one_constant_group', eps=0.0, tags=['epsilon_zero', 'constant_group']),
        G((8, 4, 4), 4, 'one_constant_group', cf=True, eps=0.0, tags=['epsilon_zero', 'constant_group']),
        G((4, 4, 8), 4, 'one_constant_group', eps=-1e-3, tags=['epsilon_negative', 'constant_group']),
        G((8,), 8, 'normal', eps=0.0, tags=['epsilon_zero', 'one_element_groups']),
        # a large epsilon, and a tiny spread where epsilon matters
        G((4, 4, 8), 2, 'normal', eps=1.0),
        G((4, 4, 8), 2, 'mean_3_std_0.003', eps=1e-5, tags=['large_mean', 'epsilon_matters']),
        # the networks' sizes: 8 groups of the first blocks (S x Cg = 4096 elements per group)
        G((32, 32, 32), 8, 'near_1.3_spread_0.05', batch=2, tags=['large_mean', 'network_size']),
        G((64, 64, 16), 8, 'mean_100_std_1', batch=1, tags=['large_mean', 'network_size']),
    ]
    return out


def case_id(c):
    parts = ['gn', 'x'.join(map(str, c['in_size'])), f"g{c['num_groups']}"]
    if c['channel_first']:
        parts.append('cf')
    if c['epsilon'] != 1e-6:
        parts.append(f"eps{c['epsilon']:g}")
    parts.append(c['x_kind'].replace('.', 'p'))
    return '_'.join(parts)


def channel_axis(c):
    return 1 if c['channel_first'] else len(c['x_shape']) - 1


def draw(c, rng):
    xs = tuple(c['x_shape'])
    C = xs[channel_axis(c)]
    kind = c['x_kind']
    if kind == 'normal':
        x = rng.standard_normal(xs)
    elif kind == 'near_1.3_spread_0.05':
        x = 1.3 + 0.05 * rng.random(xs)
    elif kind == 'mean_100_std_1':
        x = 100.0 + rng.standard_normal(xs)
    elif kind == 'mean_minus_40_std_0.16':
        x = -40.0 + 0.16 * rng.standard_normal(xs)
    elif kind == 'mean_3_std_0.003':
        x = 3.0 + 0.003 * rng.standard_normal(xs)
    elif kind == 'one_constant_group':
        x = rng.standard_normal(xs)
        group = np.moveaxis(x, channel_axis(c), -1)  # a view: writes land in x
        group[..., : C // c['num_groups']] = 2.5   # group 0 of every sample constant (exact in float32)
    else:
        raise KeyError(kind)
    bshape = [1] * len(xs)
    bshape[channel_axis(c)] = C
    return {
        'x': x.astype(np.float32),
        'scale': (rng.uniform(0.5, 1.5, C) * rng.choice([-1.0, 1.0], C, p=[0.2, 0.8])).astype(np.float32),
        'bias': rng.normal(0, 0.5, C).astype(np.float32),
        'dy': rng.standard_normal(xs).astype(np.float32),
    }


def formula(c):
    return lambda x, p: ref.group_norm_update(x, p, c['num_groups'], c['epsilon'], c['channel_first'])


def evaluate(c, a, dtype):
    """y and the gradients of sum(y * dy), BrainState's formula in ``dtype``."""
    params = {k: jnp.asarray(a[k], dtype) for k in ('scale', 'bias')}
    y, vjp = jax.vjp(formula(c), jnp.asarray(a['x'], dtype), params)
    gx, gp = vjp(jnp.asarray(a['dy'], dtype))
    return {'y': np.asarray(y, np.float64), 'grad_x': np.asarray(gx, np.float64),
            'grad_scale': np.asarray(gp['scale'], np.float64), 'grad_bias': np.asarray(gp['bias'], np.float64)}


def relative_error(expected, actual):
    """max |expected - actual| / max |expected| over the finite values; inf where NaN positions differ."""
    if not np.array_equal(np.isnan(expected), np.isnan(actual)):
        return float('inf')
    finite = np.isfinite(expected)
    if not finite.any():
        return 0.0
    scale = np.max(np.abs(expected[finite]))
    return float(np.max(np.abs(expected[finite] - actual[finite])) / max(scale, 1e-30))


def mean_over_std(c, x):
    g = np.moveaxis(x.astype(np.float64), channel_axis(c), -1)
    g = g.reshape(g.shape[0], -1, c['num_groups'], g.shape[-1] // c['num_groups'])
    mean, std = g.mean(axis=(1, 3)), g.std(axis=(1, 3))
    ratio = np.abs(mean) / np.where(std > 0, std, np.inf)
    return float(np.max(ratio))


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for p in glob.glob(os.path.join(out_dir, '*.npz')) + glob.glob(os.path.join(out_dir, 'manifest.json')):
        os.remove(p)
    entries = []
    for c in cases():
        c['id'] = case_id(c)
        rng = np.random.default_rng(zlib.crc32(c['id'].encode()))
        a = draw(c, rng)
        exact = evaluate(c, a, jnp.float64)
        brainstate32 = evaluate(c, a, jnp.float32)
        c['mean_over_std'] = round(mean_over_std(c, a['x']), 1)
        c['brainstate_f32_error'] = {k: float(f'{relative_error(exact[k], brainstate32[k]):.3g}') for k in exact}
        arrays = dict(a, **{k: v.astype(np.float32) for k, v in exact.items()})
        ref.write_npz(os.path.join(out_dir, c['id'] + '.npz'), arrays)
        entries.append(c)
    manifest = {'generator': GENERATOR, 'jax_version': jax.__version__, 'numpy_version': np.__version__,
                'reference': 'BrainState 0.5.4 GroupNorm.update evaluated in float64 on the float32 inputs'}
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as fh:
        fh.write(json.dumps(manifest)[:-1] + ', "cases": [\n')
        fh.write(',\n'.join('  ' + json.dumps(m) for m in entries))
        fh.write('\n]}\n')
    print(f'wrote {len(entries)} cases to {out_dir}')


def np_group_norm_grads(c, a):
    """Two-pass float64 numpy reference: y and the gradients, written out by hand."""
    x = np.moveaxis(a['x'].astype(np.float64), channel_axis(c), -1)
    dy = np.moveaxis(a['dy'].astype(np.float64), channel_axis(c), -1)
    scale, bias = a['scale'].astype(np.float64), a['bias'].astype(np.float64)
    b, C, G = x.shape[0], x.shape[-1], c['num_groups']
    shape = x.shape
    xg = x.reshape(b, -1, G, C // G)
    n = xg.shape[1] * xg.shape[3]
    mean = xg.mean(axis=(1, 3), keepdims=True)
    d = xg - mean
    var = (d * d).mean(axis=(1, 3), keepdims=True)
    with np.errstate(divide='ignore', invalid='ignore'):
        inv = 1.0 / np.sqrt(var + c['epsilon'])
        xhat = d * inv
        y = xhat.reshape(shape) * scale + bias
        g = (dy * scale).reshape(xg.shape)  # dL/dxhat
        gx = inv * (g - g.mean(axis=(1, 3), keepdims=True) - xhat * (g * xhat).mean(axis=(1, 3), keepdims=True))
        gscale = (dy * xhat.reshape(shape)).reshape(-1, C).sum(axis=0)
    gbias = dy.reshape(-1, C).sum(axis=0)
    back = lambda v: np.moveaxis(v.reshape(shape), -1, channel_axis(c))  # noqa: E731
    return {'y': back(y), 'grad_x': back(gx), 'grad_scale': gscale, 'grad_bias': gbias}


def check(out_dir):
    problems = []
    entries = ref.manifest_cases(out_dir, problems)
    worst = {}
    for c in entries:
        a = ref.case_arrays(out_dir, c['id'], problems, equal_nan=True)  # NaN where the epsilon rule gives it
        if a['x'].shape != tuple(c['x_shape']) or a['y'].shape != a['x'].shape:
            problems.append(f"{c['id']}: shapes")
        expected = np_group_norm_grads(c, a)
        for k, v in expected.items():
            e = relative_error(v.astype(np.float32).astype(np.float64), a[k].astype(np.float64))
            worst[k] = max(worst.get(k, 0.0), e)
            if e > 1e-6:
                problems.append(f"{c['id']}: {k} differs from the two-pass numpy reference by {e:.2e}")
        has_nan = np.isnan(a['y']).any()
        if has_nan != (c['epsilon'] <= 0 and ('constant_group' in c['tags'] or 'one_element_groups' in c['tags'])):
            problems.append(f"{c['id']}: NaN in y is {has_nan}, not what the epsilon rule gives")
    print(f'check: {len(entries)} cases; worst error against the two-pass numpy reference: '
          + ', '.join(f'{k} {v:.1e}' for k, v in sorted(worst.items())))
    bs = {k: max(c['brainstate_f32_error'][k] for c in entries if 'large_mean' in c['tags']) for k in worst}
    print('BrainState float32 (JAX) on the large-mean cases, worst: ' + ', '.join(f'{k} {v:.1e}' for k, v in sorted(bs.items())))
    return fixture_cli.verdict(problems)


if __name__ == '__main__':
    fixture_cli.main(__doc__, 'src/test/resources/golden/groupnorm_precision', generate, check)
