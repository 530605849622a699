#!/usr/bin/env python3
"""Writes the NumPy-made .npz fixtures of org.brainstate4j.io.NpzTest (run once; the files are committed).

    python3 tools/make_npz_fixtures.py   # needs numpy only

Every value is simple arithmetic on small integers so the Java test can recompute it exactly:
  enc1/weight  float32 (2, 3, 4)  arange(24) / 7            (C order)
  enc1/bias    float64 (4,)       arange(4) / 3 - 0.5
  enc2/gain    float32 (1, 1, 1, 3) [1, 2, 3]
  fortran      float64 (2, 3)     arange(6) * 0.25, stored in Fortran order
  bigendian    float32 (5,)       arange(5) + 0.5, stored big-endian ('>f4')
  scalar       float32 ()         2.5
  empty        float32 (0, 3)
  special      float32 (4,)       [nan, inf, -0.0, smallest subnormal]
numpy_params.npz is written with np.savez, numpy_params_compressed.npz with np.savez_compressed,
numpy_int64.npz holds one int64 array (refused by Npz.read).
"""
import pathlib

import numpy as np

out = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/org/brainstate4j/io"
out.mkdir(parents=True, exist_ok=True)

arrays = {
    "enc1/weight": (np.arange(24, dtype=np.float32) / np.float32(7)).reshape(2, 3, 4),
    "enc1/bias": np.arange(4, dtype=np.float64) / 3.0 - 0.5,
    "enc2/gain": np.array([1, 2, 3], dtype=np.float32).reshape(1, 1, 1, 3),
    "fortran": np.asfortranarray((np.arange(6, dtype=np.float64) * 0.25).reshape(2, 3)),
    "bigendian": (np.arange(5, dtype=np.float32) + np.float32(0.5)).astype(">f4"),
    "scalar": np.float32(2.5),
    "empty": np.zeros((0, 3), dtype=np.float32),
    "special": np.array([np.nan, np.inf, -0.0, np.finfo(np.float32).smallest_subnormal], dtype=np.float32),
}
np.savez(out / "numpy_params.npz", **arrays)
np.savez_compressed(out / "numpy_params_compressed.npz", **arrays)
np.savez(out / "numpy_int64.npz", counts=np.arange(3, dtype=np.int64))
print("numpy", np.__version__, "->", out)
