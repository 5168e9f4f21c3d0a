#include "bench/measure.h"

#include <algorithm>

#include "bench/histogram.h"

namespace netbench {

RRSummary SummarizeRR(std::span<const uint64_t> samples) {
  LogLinearHistogram h;
  for (uint64_t v : samples) h.Record(v);
  RRSummary s;
  s.count = h.count();
  s.total_s = h.mean() * static_cast<double>(h.count()) * 1e-9;
  s.p50_us = static_cast<double>(h.Quantile(0.50)) / 1e3;
  s.p90_us = static_cast<double>(h.Quantile(0.90)) / 1e3;
  s.p99_us = static_cast<double>(h.Quantile(0.99)) / 1e3;
  s.p999_us = static_cast<double>(h.Quantile(0.999)) / 1e3;
  s.max_us = static_cast<double>(h.max()) / 1e3;
  s.tps = s.total_s > 0 ? static_cast<double>(s.count) / s.total_s : 0;
  return s;
}

StreamSummary SummarizeStream(std::span<const uint64_t> samples, uint64_t chunk_size) {
  StreamSummary s;
  uint64_t ns = 0;
  for (uint64_t v : samples) ns += v;
  s.bytes = chunk_size * samples.size();
  s.total_s = static_cast<double>(ns) * 1e-9;
  s.gbit_per_s = s.total_s > 0 ? static_cast<double>(s.bytes) * 8 / s.total_s / 1e9 : 0;
  return s;
}

CpuCost ComputeCpuCost(CpuUnit unit, uint64_t work, uint64_t client_ns, uint64_t server_ns,
                       uint64_t stress_ns, bool stressed, bool separated, double wall_s) {
  CpuCost c;
  const uint64_t server_own = separated ? server_ns - std::min(server_ns, stress_ns) : server_ns;
  c.server_includes_stress = stressed && !separated;
  if (stressed && separated && wall_s > 0)
    c.stress_cpus = static_cast<double>(stress_ns) * 1e-9 / wall_s;
  if (unit == CpuUnit::kPerTransaction) {
    const double n = static_cast<double>(std::max<uint64_t>(work, 1));
    c.client = static_cast<double>(client_ns) / 1e3 / n;
    c.server = static_cast<double>(server_own) / 1e3 / n;
  } else {
    const double gb = static_cast<double>(std::max<uint64_t>(work, 1)) / 1e9;
    c.client = static_cast<double>(client_ns) / 1e9 / gb;
    c.server = static_cast<double>(server_own) / 1e9 / gb;
  }
  return c;
}

void SetCpuCounters(benchmark::State& state, CpuUnit unit, const CpuCost& c) {
  const bool rr = unit == CpuUnit::kPerTransaction;
  state.counters[rr ? "client_cpu_us_per_tx" : "client_cpu_s_per_gb"] = c.client;
  state.counters[rr ? "server_cpu_us_per_tx" : "server_cpu_s_per_gb"] = c.server;
  if (c.stress_cpus > 0) state.counters["stress_cpus"] = c.stress_cpus;
}

void SetStressCounters(benchmark::State& state, uint64_t bogo_ops, uint64_t wall_ns) {
  state.counters["stress_bogo_ops_per_s"] =
      wall_ns ? static_cast<double>(bogo_ops) / (static_cast<double>(wall_ns) * 1e-9) : 0;
}

void FeedIterations(benchmark::State& state, std::span<const uint64_t> samples) {
  size_t i = 0;
  for (auto _ : state) state.SetIterationTime(static_cast<double>(samples[i++]) * 1e-9);
}

void SetRRCounters(benchmark::State& state, const RRSummary& s) {
  state.counters["p50_us"] = s.p50_us;
  state.counters["p90_us"] = s.p90_us;
  state.counters["p99_us"] = s.p99_us;
  state.counters["p999_us"] = s.p999_us;
  state.counters["max_us"] = s.max_us;
  state.counters["tps"] = s.tps;
}

void SetStreamCounters(benchmark::State& state, const StreamSummary& s, uint64_t retrans) {
  state.SetBytesProcessed(static_cast<int64_t>(s.bytes));
  state.counters["gbit_per_s"] = s.gbit_per_s;
  state.counters["retrans"] = static_cast<double>(retrans);
}

}  // namespace netbench
