#pragma once
// Turns what the client agent measured into Google Benchmark's view: one manual iteration
// time per sample, and the counters. Nothing here touches the network.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <span>

#include "bench/test_registry.h"

namespace netbench {

struct RRSummary {
  uint64_t count = 0;
  double total_s = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
  double tps = 0;  // transactions per second
};

struct StreamSummary {
  uint64_t bytes = 0;
  double total_s = 0;
  double gbit_per_s = 0;
};

RRSummary SummarizeRR(std::span<const uint64_t> samples_ns);
StreamSummary SummarizeStream(std::span<const uint64_t> samples_ns, uint64_t chunk_size);

// netperf's "service demand": CPU per unit of work, each side apart.
struct CpuCost {
  double client = 0;  // rr: us per transaction; stream: s per GB
  double server = 0;  // the server's own cost: the stressor excluded when it can be
  bool server_includes_stress = false;
  double stress_cpus = 0;  // CPUs the separated stressor used during the run
};

// work: transactions (kPerTransaction) or bytes (kPerGigabyte).
CpuCost ComputeCpuCost(CpuUnit unit, uint64_t work, uint64_t client_ns, uint64_t server_ns,
                       uint64_t stress_ns, bool stressed, bool separated, double wall_s);

// Feeds the samples to the benchmark loop, one per iteration (UseManualTime).
void FeedIterations(benchmark::State& state, std::span<const uint64_t> samples_ns);

void SetRRCounters(benchmark::State& state, const RRSummary& s);
void SetStreamCounters(benchmark::State& state, const StreamSummary& s, uint64_t retrans);
void SetCpuCounters(benchmark::State& state, CpuUnit unit, const CpuCost& c);
void SetStressCounters(benchmark::State& state, uint64_t bogo_ops, uint64_t wall_ns);

}  // namespace netbench
