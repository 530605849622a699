"""Weight standardization at every eps BrainState accepts (eps <= 0, +inf, NaN, a large floor).

BrainState 0.5.4's ``ScaledWSConv`` takes any ``eps``: it is the floor in
``rsqrt(max(var * fan_in, eps))``, so ``eps <= 0`` means no floor at all, a constant output
channel then standardizes to NaN (``0 * inf``), ``eps = inf`` zeroes the kernel and a NaN eps
makes every entry NaN (``jnp.maximum`` propagates NaN). For each case this writes ``weight``,
``gain`` (when used), ``eps`` (a length-1 array), a cotangent ``dw``, the standardized kernel
``w_hat`` (``weight_standardization`` of ``brainstate_ref``, BrainState's code in plain JAX) and,
where it is finite, the gradients of ``sum(w_hat * dw)`` with respect to ``weight`` and ``gain``.
Java: ``nn.WeightStandardizationEpsTest``.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import brainstate_ref as ref  # noqa: E402
import fixture_cli  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

# (name, kernel shape HWIO, eps, with gain, index of an output channel made constant or None)
CASES = [
    ('eps_zero', (3, 3, 2, 4), 0.0, True, None),
    ('eps_negative', (3, 2, 4), -1.0, False, None),
    ('eps_zero_constant_channel', (3, 3, 2, 4), 0.0, True, 1),
    ('eps_negative_constant_channel', (2, 2, 2, 1, 3), -0.5, False, 0),
    ('eps_large_floor', (3, 3, 2, 4), 1e3, True, None),
    ('eps_infinite', (3, 3, 2, 4), float('inf'), True, None),
    ('eps_nan', (3, 3, 2, 4), float('nan'), False, None),
]


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20261201)
    manifest = []
    for name, shape, eps, with_gain, constant in CASES:
        w = rng.standard_normal(shape).astype(np.float32)
        if constant is not None:
            w[..., constant] = 0.75
        gain = (1 + 0.5 * rng.standard_normal((1,) * (len(shape) - 1) + (shape[-1],))).astype(np.float32) if with_gain else None
        dw = rng.standard_normal(shape).astype(np.float32)

        def loss(w_, g_):
            return jnp.sum(ref.weight_standardization(w_, eps, g_) * dw)

        w_hat = np.asarray(ref.weight_standardization(jnp.asarray(w), eps, None if gain is None else jnp.asarray(gain)))
        arrays = {'weight': w, 'eps': np.array([eps], dtype=np.float32), 'dw': dw, 'w_hat': w_hat.astype(np.float32)}
        if gain is not None:
            arrays['gain'] = gain
        finite = bool(np.all(np.isfinite(w_hat)))
        if finite:
            if gain is not None:
                gw, gg = jax.grad(loss, argnums=(0, 1))(jnp.asarray(w), jnp.asarray(gain))
                arrays['grad_gain'] = np.asarray(gg, dtype=np.float32)
            else:
                gw = jax.grad(loss)(jnp.asarray(w), None)
            arrays['grad_weight'] = np.asarray(gw, dtype=np.float32)
        ref.write_npz(os.path.join(out_dir, name + '.npz'), arrays)
        manifest.append({'id': name, 'kernel_shape': list(shape), 'eps': str(eps), 'gain': with_gain,
                         'constant_channel': constant, 'finite': finite})
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        json.dump({'generator': 'tools/golden/generate_ws_eps_fixtures.py', 'jax': jax.__version__, 'cases': manifest}, f, indent=1)
        f.write('\n')
    print(f'wrote {len(manifest)} cases to {out_dir}')


def check(out_dir):
    """Recomputes each case in float64 numpy and checks where NaN must (and must not) appear."""
    problems = []
    with open(os.path.join(out_dir, 'manifest.json')) as f:
        cases = json.load(f)['cases']
    for c in cases:
        with np.load(os.path.join(out_dir, c['id'] + '.npz')) as z:
            a = {k: z[k].astype(np.float64) for k in z.files}
        w, eps = a['weight'], float(a['eps'][0])
        axes = tuple(range(w.ndim - 1))
        fan_in = int(np.prod(w.shape[:-1]))
        var = w.var(axis=axes, keepdims=True)
        with np.errstate(divide='ignore', invalid='ignore'):
            scale = 1 / np.sqrt(np.maximum(var * fan_in, eps))
            if 'gain' in a:
                scale = scale * a['gain']
            expected = (w - w.mean(axis=axes, keepdims=True)) * scale
        if not np.array_equal(np.isnan(expected), np.isnan(a['w_hat'])):
            problems.append(f"{c['id']}: NaN pattern differs from numpy's")
        both = ~np.isnan(expected)
        err = np.max(np.abs(expected[both] - a['w_hat'][both]), initial=0)
        if err > 1e-5 * max(1.0, np.max(np.abs(expected[both]), initial=0)):
            problems.append(f"{c['id']}: w_hat off by {err:.2e}")
    print(f'check: {len(cases)} cases')
    return fixture_cli.verdict(problems)


if __name__ == '__main__':
    fixture_cli.main(__doc__, 'src/test/resources/golden/ws_eps', generate, check)
