#include "bench/test_registry.h"

#include <optional>

#include "bench/measure.h"
#include "common/protocol.h"

namespace netbench {
namespace {

uint64_t ReportRR(benchmark::State& state, const MeasuredRun& run) {
  SetRRCounters(state, SummarizeRR(run.samples_ns));
  return run.samples_ns.size();
}

// As tcp_rr, and the datagrams the run sent again after no answer came (not in the times).
uint64_t ReportUdpRR(benchmark::State& state, const MeasuredRun& run) {
  SetRRCounters(state, SummarizeRR(run.samples_ns));
  state.counters["lost"] = static_cast<double>(run.lost);
  return run.samples_ns.size();
}

// As tcp_rr (a transaction is a connection's whole life), and the mean connect.
uint64_t ReportCRR(benchmark::State& state, const MeasuredRun& run) {
  SetRRCounters(state, SummarizeRR(run.samples_ns));
  if (!run.samples_ns.empty())
    state.counters["connect_us"] =
        static_cast<double>(run.connect_ns) / 1e3 / static_cast<double>(run.samples_ns.size());
  return run.samples_ns.size();
}

uint64_t ReportStream(benchmark::State& state, const MeasuredRun& run) {
  StreamSummary s = SummarizeStream(run.samples_ns, run.data.chunk_size);
  SetStreamCounters(state, s, run.retrans);
  // Parallel streams: the spread between them (each one's bytes over its own time).
  if (run.data.streams > 1) {
    state.counters["stream_min_gbit_per_s"] = static_cast<double>(run.stream_min_bps) * 8 / 1e9;
    state.counters["stream_max_gbit_per_s"] = static_cast<double>(run.stream_max_bps) * 8 / 1e9;
  }
  return s.bytes;
}

// One iteration is one start; its time is the start's total. The parts are means over the run,
// in milliseconds (a part the backend cannot tell apart is left out).
uint64_t ReportStart(benchmark::State& state, const MeasuredRun& run) {
  const RRSummary s = SummarizeRR(run.samples_ns);
  state.counters["p50_ms"] = s.p50_us / 1e3;
  state.counters["p90_ms"] = s.p90_us / 1e3;
  state.counters["max_ms"] = s.max_us / 1e3;
  state.counters["starts_per_s"] = s.tps;
  auto mean_ms = [&](double StartSample::*part) {
    double sum = 0;
    for (const auto& x : run.starts) {
      if (x.*part < 0) return -1.0;
      sum += x.*part;
    }
    return run.starts.empty() ? -1.0 : 1e3 * sum / static_cast<double>(run.starts.size());
  };
  for (auto [name, part] : {std::pair{"create_ms", &StartSample::create_s},
                            std::pair{"start_ms", &StartSample::start_s},
                            std::pair{"answer_ms", &StartSample::answer_s},
                            std::pair{"remove_ms", &StartSample::remove_s}})
    if (double v = mean_ms(part); v >= 0) state.counters[name] = v;
  return run.samples_ns.size();
}

// A round-trip test's counters (SetRRCounters), and the test's own.
std::vector<MetricSpec> RRMetrics(std::optional<MetricSpec> extra = std::nullopt) {
  std::vector<MetricSpec> m = {{"p50_us", "us", "lower"}, {"p90_us", "us", "lower"},
                               {"p99_us", "us", "lower"}, {"p999_us", "us", "lower"},
                               {"max_us", "us", "lower"}, {"tps", "1/s", "higher"}};
  if (extra) m.push_back(*extra);
  return m;
}

// A stream test's counters (SetStreamCounters).
std::vector<MetricSpec> StreamMetrics() {
  return {{"bytes_per_second", "B/s", "higher"},
          {"gbit_per_s", "Gbit/s", "higher"},
          {"retrans", "count", "lower"},
          // streams:N only: the slowest and the fastest connection (informational: the spread)
          {"stream_min_gbit_per_s", "Gbit/s", "none"},
          {"stream_max_gbit_per_s", "Gbit/s", "none"}};
}

}  // namespace

const std::vector<TestSpec>& AllTests() {
  static const std::vector<TestSpec> tests = {
      {"tcp_rr", "rr", proto::Mode::kRR, Transport::kTcp, TimedSide::kClient, 200,
       CpuUnit::kPerTransaction, RRMetrics(), ReportRR},
      {"tcp_stream", "stream", proto::Mode::kStream, Transport::kTcp, TimedSide::kClient, 8,
       CpuUnit::kPerGigabyte, StreamMetrics(), ReportStream},
      // The stream the other way: the server sends, the client receives and times (iperf3 -R,
      // netperf's TCP_MAERTS); retrans is the sender's. Not the study's: run when selected.
      {"tcp_stream_reverse", "stream", proto::Mode::kStreamReverse, Transport::kTcp,
       TimedSide::kClient, 8, CpuUnit::kPerGigabyte, StreamMetrics(), ReportStream,
       Work::kAgentLoop,
       /*in_default=*/false},
      // One datagram each way per iteration (DNS, QUIC, games): sockperf's ping-pong, netperf's
      // UDP_RR. Not the study's: run when selected.
      {"udp_rr", "rr", proto::Mode::kUdpRR, Transport::kUdp, TimedSide::kClient, 200,
       CpuUnit::kPerTransaction, RRMetrics(MetricSpec{"lost", "count", "lower"}), ReportUdpRR,
       Work::kAgentLoop,
       /*in_default=*/false},
      // A connection per transaction: connect, one request and one response, close (short
      // HTTP; netperf's TCP_CRR, k8s-netperf's). Through NAT and conntrack on bridge and host.
      {"tcp_crr", "rr", proto::Mode::kCRR, Transport::kTcp, TimedSide::kClient, 200,
       CpuUnit::kPerTransaction, RRMetrics(MetricSpec{"connect_us", "us", "lower"}), ReportCRR,
       Work::kAgentLoop,
       /*in_default=*/false},
      // Start latency: the time to create and start a server sandbox on the driver until its
      // agent answers (a VM boot for kata on netns); the one before it is removed first,
      // timed apart. People choosing a runtime ask for it.
      {"start",
       "start",
       proto::Mode::kRR,
       Transport::kTcp,
       TimedSide::kClient,
       1,
       CpuUnit::kPerTransaction,
       {{"p50_ms", "ms", "lower"},
        {"p90_ms", "ms", "lower"},
        {"max_ms", "ms", "lower"},
        {"starts_per_s", "1/s", "higher"},
        {"create_ms", "ms", "lower"},
        {"start_ms", "ms", "lower"},
        {"answer_ms", "ms", "lower"},
        {"remove_ms", "ms", "lower"}},
       ReportStart,
       Work::kSandboxStart,
       /*in_default=*/false,
       /*under_load=*/false},
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

std::vector<std::string> DefaultTestNames() {
  std::vector<std::string> out;
  for (const TestSpec& t : AllTests())
    if (t.in_default) out.emplace_back(t.name);
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
