"""BrainState v0.5.4 layers re-implemented in plain JAX, shared by the golden fixture generators.

BrainState cannot be installed here (it needs brainunit), so its forward passes are copied into
plain JAX line by line. The convolution family (Conv, ScaledWSConv, ConvTranspose) lives in
``generate_conv_fixtures.py`` and is re-exported from here unchanged (``Layer``, ``write_npz``,
``nd4j_npz_read`` and the float64 numpy references), so the conv fixtures stay byte-identical.
This module adds:

* ``linear_update`` - ``brainstate/nn/_linear.py`` ``Linear.update``:
  ``y = dot(x, W * mask) + b`` (``u.linalg.dot`` is ``jnp.dot`` for plain arrays);
* ``group_norm_update`` - ``brainstate/nn/_normalizations.py`` ``GroupNorm.update`` with
  ``_compute_stats`` (fast variance ``max(0, E[x^2] - E[x]^2)``, statistics in at least float32)
  and ``_normalize`` (``(x - mean) * rsqrt(var + epsilon)``, then ``* scale``, then ``+ bias``).
  BrainState 0.5.4's constructor only accepts ``in_size=(C,)`` but ``update`` normalizes an input
  of any rank (statistics over every axis but the batch axis, within a channel group, channels
  last); that is what is reproduced here. ``channel_first`` is a brainstate4j extension with no
  BrainState counterpart: move axis 1 to the end, apply BrainState's GroupNorm, move it back.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate_conv_fixtures as _conv  # noqa: E402  (sets jax_default_matmul_precision='highest')
import glob  # noqa: E402
import json  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

Layer = _conv.Layer
write_npz = _conv.write_npz
nd4j_npz_read = _conv.nd4j_npz_read
ref_conv_forward = _conv.ref_conv_forward
ref_conv_transpose = _conv.ref_conv_transpose
weight_standardization = _conv.weight_standardization


# ----------------------------------------------------------------------------
# Linear (brainstate/nn/_linear.py)
# ----------------------------------------------------------------------------

def linear_update(x, params, w_mask=None):
    weight = params['weight']
    if w_mask is not None:
        weight = weight * w_mask
    y = jnp.dot(x, weight)
    if 'bias' in params:
        y = y + params['bias']
    return y


# ----------------------------------------------------------------------------
# GroupNorm (brainstate/nn/_normalizations.py)
# ----------------------------------------------------------------------------

def _canonicalize_axes(ndim, axes):
    out = []
    for axis in axes:
        if axis < 0:
            axis += ndim
        if axis < 0 or axis >= ndim:
            raise ValueError(f'Invalid axis {axis} for {ndim}D input')
        out.append(axis)
    return tuple(out)


def _compute_stats(x, axes):
    """use_mean=True, use_fast_variance=True, no mask, no axis_name."""
    dtype = jnp.promote_types(jnp.result_type(x), jnp.float32)
    x = jnp.asarray(x, dtype)
    axes = _canonicalize_axes(x.ndim, axes)
    mu = x.mean(axes)
    mu2 = jax.lax.square(x).mean(axes)
    var = jnp.maximum(0.0, mu2 - jax.lax.square(mu))
    return mu, var


def _normalize(x, mean, var, params, reduction_axes, epsilon):
    reduction_axes = _canonicalize_axes(x.ndim, reduction_axes)
    stats_shape = list(x.shape)
    for axis in reduction_axes:
        stats_shape[axis] = 1
    mean = mean.reshape(stats_shape)
    var = var.reshape(stats_shape)
    y = x - mean
    mul = jax.lax.rsqrt(var + epsilon)
    y = y * mul
    if 'scale' in params:  # NormalizationParamState.execute
        y = y * params['scale']
    if 'bias' in params:
        y = y + params['bias']
    return y


def group_norm_update(x, params, num_groups, epsilon=1e-6, channel_first=False):
    """GroupNorm.update on a batched input; ``params`` holds ``scale`` and/or ``bias``, shape (C,)."""
    if channel_first:
        x = jnp.moveaxis(x, 1, -1)
    channels = x.shape[-1]
    if channels % num_groups:
        raise ValueError(f'{num_groups} groups do not divide {channels} channels')
    group_size = channels // num_groups
    reduction_axes = _canonicalize_axes(x.ndim, list(range(1, x.ndim - 1)) + [-1])
    group_shape = x.shape[:-1] + (num_groups, group_size)
    mean, var = _compute_stats(x.reshape(group_shape), list(reduction_axes[:-1]) + [-1])
    mean = jnp.repeat(mean, group_size, axis=1)
    var = jnp.repeat(var, group_size, axis=1)
    y = _normalize(x, mean, var, params, reduction_axes[:-1], epsilon)
    return jnp.moveaxis(y, -1, 1) if channel_first else y


# ----------------------------------------------------------------------------
# float64 numpy references (independent formulations, for the self-checks)
# ----------------------------------------------------------------------------

def np_linear(x, weight, bias=None, mask=None):
    w = weight * mask if mask is not None else weight
    y = np.tensordot(x, w, axes=([-1], [0]))
    return y + bias if bias is not None else y


def np_group_norm(x, num_groups, epsilon, scale=None, bias=None, channel_first=False):
    """Two-pass variance, per sample and group, in float64."""
    x = np.asarray(x, np.float64)
    if channel_first:
        x = np.moveaxis(x, 1, -1)
    b, c = x.shape[0], x.shape[-1]
    g = x.reshape(b, -1, num_groups, c // num_groups)
    mean = g.mean(axis=(1, 3), keepdims=True)
    var = ((g - mean) ** 2).mean(axis=(1, 3), keepdims=True)
    y = ((g - mean) / np.sqrt(var + epsilon)).reshape(x.shape)
    if scale is not None:
        y = y * scale
    if bias is not None:
        y = y + bias
    return np.moveaxis(y, -1, 1) if channel_first else y


# ----------------------------------------------------------------------------
# Self-checks of a written fixture folder (manifest.json and one <id>.npz per case)
# ----------------------------------------------------------------------------

def manifest_cases(out_dir, problems):
    """The manifest's cases; a problem is added unless they name exactly the folder's .npz files."""
    with open(os.path.join(out_dir, 'manifest.json')) as fh:
        cases = json.load(fh)['cases']
    files = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(out_dir, '*.npz')))
    if sorted(c['id'] for c in cases) != files:
        problems.append('manifest ids and npz files differ')
    return cases


def case_arrays(out_dir, cid, problems, equal_nan=False):
    """The case's arrays as numpy reads them; a problem is added unless the ND4J-style reader reads the same."""
    path = os.path.join(out_dir, cid + '.npz')
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    j = nd4j_npz_read(path)
    if set(j) != set(arrays) or any(not np.array_equal(j[k], arrays[k], equal_nan=equal_nan) for k in arrays):
        problems.append(f'{cid}: ND4J-style reader disagrees with numpy')
    return arrays
