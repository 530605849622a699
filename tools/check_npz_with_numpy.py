#!/usr/bin/env python3
"""Manual check (not part of the build): numpy reads what org.brainstate4j.io.Npz writes, bit for bit.

    python3 tools/check_npz_with_numpy.py JAVA_WRITTEN.npz [REFERENCE.npz]

Loads JAVA_WRITTEN.npz with np.load (allow_pickle=False) and checks that every array is C-ordered and
little-endian; with REFERENCE.npz (default: the committed numpy fixture) it also checks that both hold
the same keys, shapes, dtypes (up to byte order) and bytes. Java side, e.g. in jshell:
    Npz.write(Path.of("java.npz"), Npz.read(Path.of("src/test/resources/org/brainstate4j/io/numpy_params.npz")))
"""
import pathlib
import sys

import numpy as np

java = np.load(sys.argv[1], allow_pickle=False)
ref_path = sys.argv[2] if len(sys.argv) > 2 else (
    pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/org/brainstate4j/io/numpy_params.npz")
ref = np.load(ref_path, allow_pickle=False)
ok = list(java.keys()) == list(ref.keys())
print("keys", list(java.keys()), "match" if ok else "DIFFER from " + str(list(ref.keys())))
for key in java.keys():
    a, b = java[key], ref[key]
    same = (a.shape == b.shape and a.dtype == b.dtype.newbyteorder("<") and a.flags.c_contiguous
            and a.dtype.byteorder in "<=|" and a.tobytes() == np.ascontiguousarray(b).astype(a.dtype).tobytes())
    ok &= same
    print(f"{key:12s} {str(a.dtype):8s} {str(a.shape):14s} {'bit-identical' if same else 'DIFFERENT'}")
sys.exit(0 if ok else 1)
