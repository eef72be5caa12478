"""The leak benchmark: crowd reports from simulated breaks, scored for any localiser.

The protocol is /work/shared/LEAK_BENCHMARK.md (kept in docs/benchmarks.md's section too). Tuning
seeds are 1000-1299; reported figures come from seeds 2000 on.
"""
