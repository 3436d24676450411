"""Private Assistant core: plain Python, never imports Qt."""

import os

__version__ = "0.1.0"

# llama.cpp and torch each bring an OpenMP runtime into this process. With OpenMP's default
# spin-waiting, the idle threads of one starve the other on a small machine: after the first
# embedding, decoding fell from tens of tokens/s to under 1 (bench/ measures it). Passive
# waiting lets them take turns. Set before either library starts its threads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
