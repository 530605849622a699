#!/usr/bin/env python
"""Checks the table of ``nn.ConvSpecTableTest`` against JAX itself.

The Java test states ConvSpec's padding and output-size rules as a table (rank, direction, padding
form, sizes -> (lo, hi) per axis and output size). Its expected columns were worked by hand from
BrainState's formulas; this script reads the table out of the Java source and recomputes every row
with JAX, independently of brainstate4j:

- the padding form is resolved as BrainState does (``_parse_padding``, copied in
  ``generate_conv_fixtures.py``);
- forward SAME / VALID pads: ``lax.padtype_to_pads`` on the effective kernel;
- transposed SAME / VALID pads: JAX's own ``_conv_transpose_padding`` (what
  ``lax.conv_transpose`` uses, and what BrainState copied);
- output sizes: the shapes ``jax.eval_shape`` gives for ``lax.conv_general_dilated`` (forward,
  with the row's strides, padding and dilations) and ``lax.conv_transpose`` (transposed).

Run from the repository root with the reference venv (see tools/golden/README.md):

    .venv-ref/bin/python tools/golden/check_convspec_table.py

Exit status 0 when every row agrees, 1 (with the rows that differ) otherwise.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate_conv_fixtures as conv  # noqa: E402
import jax  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402
from jax._src.lax.convolution import _conv_transpose_padding  # noqa: E402

TEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                    'src/test/java/org/brainstate4j/nn/ConvSpecTableTest.java')
SPECS = {1: ('NCH', 'OIH', 'NCH'), 2: ('NCHW', 'OIHW', 'NCHW'), 3: ('NCDHW', 'OIDHW', 'NCDHW')}


def rows():
    source = open(TEST).read()
    block = re.search(r'textBlock = """(.*?)"""', source, re.S).group(1)
    for line in block.splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            yield [cell.strip() for cell in line.split('|')]


def per_axis(cell, n):
    values = [int(v) for v in cell.split()]
    return values * n if len(values) == 1 else values


def padding_of(cell):
    words = cell.split()
    form, args = words[0], words[1:]
    if form in ('SAME', 'VALID'):
        return form
    if form == 'int':
        return int(args[0])
    if form == 'perAxis':
        return tuple(int(a) for a in args)
    if form == 'pairs':
        return tuple(tuple(int(v) for v in a.split(':')) for a in args)
    raise ValueError(f'unknown padding form {cell!r}')


def reference(rank, direction, padding, in_, kernel, stride, lhs, rhs):
    n = int(rank)
    sizes, ks, ss, ls, rs = (per_axis(c, n) for c in (in_, kernel, stride, lhs, rhs))
    ek = [(k - 1) * r + 1 for k, r in zip(ks, rs)]
    parsed, mode = conv._parse_padding(padding_of(padding), n)
    x = jax.ShapeDtypeStruct((1, 2, *sizes), np.float32)
    if direction == 'forward':
        w = jax.ShapeDtypeStruct((4, 2, *ks), np.float32)
        pads = (lax.padtype_to_pads(sizes, ek, ss, mode) if mode != 'explicit' else list(parsed))
        y = jax.eval_shape(lambda a, b: lax.conv_general_dilated(
            a, b, window_strides=ss, padding=parsed if mode == 'explicit' else mode,
            lhs_dilation=ls, rhs_dilation=rs, dimension_numbers=SPECS[n]), x, w)
    elif direction == 'transposed':
        w = jax.ShapeDtypeStruct((4, 2, *ks), np.float32)
        pads = ([_conv_transpose_padding(e, s, mode) for e, s in zip(ek, ss)] if mode != 'explicit'
                else list(parsed))
        y = jax.eval_shape(lambda a, b: lax.conv_transpose(
            a, b, strides=ss, padding=parsed if mode == 'explicit' else mode,
            rhs_dilation=rs, dimension_numbers=SPECS[n]), x, w)
    else:
        raise ValueError(f'unknown direction {direction!r}')
    return ' '.join(f'{int(lo)}:{int(hi)}' for lo, hi in pads), ' '.join(str(v) for v in y.shape[2:])


def main():
    failures = 0
    count = 0
    for row in rows():
        count += 1
        *settings, want_pads, want_out = row
        got_pads, got_out = reference(*settings)
        if got_pads.split() != want_pads.split() or got_out.split() != want_out.split():
            failures += 1
            print(f'row {count} {settings}: table says pads {want_pads}, out {want_out}; '
                  f'JAX gives pads {got_pads}, out {got_out}')
    print(f'{count} rows checked against JAX {jax.__version__}: {failures} differ')
    return 1 if failures or count == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
