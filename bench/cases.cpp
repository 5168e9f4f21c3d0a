#include "bench/cases.h"

#include <benchmark/benchmark.h>

#include "bench/measure.h"
#include "common/errors.h"

namespace netbench {
namespace {

void RunCase(benchmark::State& state, CaseName c, CaseSession* session) {
  const auto n = static_cast<uint64_t>(state.max_iterations);
  Measurement m;
  CaseSession::Facts facts;
  try {
    facts = session->Prepare(c);
    m = session->Measure(c, n);
  } catch (const std::exception& e) {
    session->Discard();
    state.SkipWithError(e.what());
    for (auto _ : state) {
    }
    return;
  }
  FeedIterations(state, m.report.samples_ns);
  const bool rr = c.test == "tcp_rr";
  uint64_t bytes = 0;
  if (rr) {
    SetRRCounters(state, SummarizeRR(m.report.samples_ns));
  } else {
    StreamSummary s = SummarizeStream(m.report.samples_ns, session->config().chunk_size);
    bytes = s.bytes;
    SetStreamCounters(state, s, m.report.retrans);
  }
  const CpuCost cost =
      ComputeCpuCost(rr, n, bytes, m.client_cpu_ns, m.server_cpu_ns, m.stress_cpu_ns,
                     m.stress.has_value(), m.stress_separated, m.wall_s);
  SetCpuCounters(state, rr, cost);
  if (m.stress) SetStressCounters(state, m.stress->bogo_ops, m.stress->wall_ns);
  for (const auto& [name, value] : facts.counters) state.counters[name] = value;
  std::string label = facts.label;
  if (cost.server_includes_stress)
    label += (label.empty() ? "" : " ") + std::string("server cpu includes guest stress");
  if (!label.empty()) state.SetLabel(label);
}

}  // namespace

void RegisterCases(const Matrix& m, CaseSession* session) {
  for (const CaseName& c : m.cases) {
    benchmark::RegisterBenchmark(FormatCaseName(c).c_str(), RunCase, c, session)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace netbench
