#include "bench/test_registry.h"

#include "bench/measure.h"

namespace netbench {
namespace {

uint64_t ReportRR(benchmark::State& state, const RunResult& run) {
  SetRRCounters(state, SummarizeRR(run.samples_ns));
  return run.samples_ns.size();
}

uint64_t ReportStream(benchmark::State& state, const RunResult& run) {
  StreamSummary s = SummarizeStream(run.samples_ns, run.data.chunk_size);
  SetStreamCounters(state, s, run.retrans);
  return s.bytes;
}

}  // namespace

const std::vector<TestSpec>& AllTests() {
  static const std::vector<TestSpec> tests = {
      {"tcp_rr",
       "rr",
       proto::Mode::kRR,
       Transport::kTcp,
       TimedSide::kClient,
       200,
       CpuUnit::kPerTransaction,
       {{"p50_us", "us", "lower"},
        {"p90_us", "us", "lower"},
        {"p99_us", "us", "lower"},
        {"p999_us", "us", "lower"},
        {"max_us", "us", "lower"},
        {"tps", "1/s", "higher"}},
       ReportRR},
      {"tcp_stream",
       "stream",
       proto::Mode::kStream,
       Transport::kTcp,
       TimedSide::kClient,
       8,
       CpuUnit::kPerGigabyte,
       {{"bytes_per_second", "B/s", "higher"},
        {"gbit_per_s", "Gbit/s", "higher"},
        {"retrans", "count", "lower"}},
       ReportStream},
  };
  return tests;
}

const TestSpec* FindTest(const std::string& name) {
  for (const TestSpec& t : AllTests())
    if (name == t.name) return &t;
  return nullptr;
}

std::vector<std::string> TestNames() {
  std::vector<std::string> out;
  for (const TestSpec& t : AllTests()) out.emplace_back(t.name);
  return out;
}

std::vector<MetricSpec> CommonMetrics(const TestSpec& t) {
  const bool per_tx = t.cpu_unit == CpuUnit::kPerTransaction;
  return {
      {"real_time", "us", "lower"},
      {per_tx ? "client_cpu_us_per_tx" : "client_cpu_s_per_gb", per_tx ? "us" : "s/GB", "lower"},
      {per_tx ? "server_cpu_us_per_tx" : "server_cpu_s_per_gb", per_tx ? "us" : "s/GB", "lower"},
      {"stress_cpus", "CPUs", "none"},
      {"stress_bogo_ops_per_s", "ops/s", "none"},
      {"client_vm_boot_s", "s", "none"},
      {"server_vm_boot_s", "s", "none"},
      {"stray_packets", "packets", "none"},
  };
}

const char* TransportName(Transport t) { return t == Transport::kTcp ? "tcp" : "udp"; }

}  // namespace netbench
