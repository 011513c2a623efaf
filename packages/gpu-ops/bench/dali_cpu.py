"""DALI's CPU pipeline on the same JPEGs as decode.bench.ts, for the ratio the gpu-ops bench reports.

The pipeline cassandra-dali-plugin users run without a GPU: fn.decoders.image_random_crop
(scale 0.08-1, ratio 3/4-4/3) + fn.resize to 224x224 + fn.crop_mirror_normalize (flip 0.5,
ImageNet mean/std, float32 HWC), batch 128, 2 threads. Not run in CI (no Python there):

    python3 -m venv /tmp/dali && /tmp/dali/bin/pip install nvidia-dali-cuda130==2.1 numpy
    pnpm --filter @cassdl/gpu-ops bench -- --jpeg-dir /tmp/jpegs   # writes the bench's 128 JPEGs
    /tmp/dali/bin/python packages/gpu-ops/bench/dali_cpu.py /tmp/jpegs [--rounds 10]

Prints images/s and process CPU-ms per image (all threads), as the TypeScript bench does.

With --serve it builds the pipeline, warms it up, prints "ready" and then runs
on request: each stdin line "run N" runs N batches and answers one JSON line
{"images", "seconds", "cpuSeconds"} (this process's CPU, every thread). The
gpu-ops bench drives it that way (--dali-python) to interleave DALI's rounds
with its own in one run, so load from other users hits both alike.
"""

import argparse
import json
import os
import resource
import sys
import time

import numpy as np
from nvidia.dali import fn, pipeline_def, types

parser = argparse.ArgumentParser()
parser.add_argument("jpeg_dir")
parser.add_argument("--rounds", type=int, default=10)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--serve", action="store_true")
args = parser.parse_args()

names = sorted(n for n in os.listdir(args.jpeg_dir) if n.endswith(".jpg"))
encoded = [np.fromfile(os.path.join(args.jpeg_dir, n), dtype=np.uint8) for n in names]
BATCH = len(encoded)


@pipeline_def(batch_size=BATCH, num_threads=args.threads, device_id=None, seed=1)
def cpu_pipeline():
    jpegs = fn.external_source(source=lambda: encoded, batch=True)
    images = fn.decoders.image_random_crop(
        jpegs,
        device="cpu",
        output_type=types.RGB,
        random_area=[0.08, 1.0],
        random_aspect_ratio=[3 / 4, 4 / 3],
        num_attempts=10,
    )
    images = fn.resize(images, resize_x=224, resize_y=224, interp_type=types.INTERP_LINEAR)
    return fn.crop_mirror_normalize(
        images,
        dtype=types.FLOAT,
        output_layout="HWC",
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        mirror=fn.random.coin_flip(probability=0.5),
    )


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(rounds: int) -> tuple[float, float]:
    """Wall and CPU seconds of `rounds` batches, each materialized as the TS bench awaits xs.data()."""
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    for _ in range(rounds):
        (out,) = pipe.run()
        out.as_array()
    return time.perf_counter() - wall0, cpu_seconds() - cpu0


# Served between the rounds of the TS bench, a pipelined DALI would decode
# its next batches while ours run, outside the CPU and wall it reports, and
# look faster than it is: so it runs each batch inside run(), synchronously.
# Standalone, back-to-back rounds keep DALI's default pipelined executor.
sync = {"exec_async": False, "exec_pipelined": False, "prefetch_queue_depth": 1} if args.serve else {}
pipe = cpu_pipeline(**sync)
pipe.build()
pipe.run()  # warm-up
if args.serve:
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] != "run":
            break
        wall, cpu = measure(int(words[1]))
        reply = {"images": int(words[1]) * BATCH, "seconds": wall, "cpuSeconds": cpu}
        print(json.dumps(reply), flush=True)
    sys.exit(0)
wall, cpu = measure(args.rounds)
n = args.rounds * BATCH
print(
    f"| DALI 2.1 CPU, {args.threads} threads | {n / wall:.0f} | {cpu / n * 1000:.2f} | load {os.getloadavg()[0]:.1f} |"
)
