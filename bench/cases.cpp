#include "bench/cases.h"

#include <benchmark/benchmark.h>

#include "bench/measure.h"
#include "common/errors.h"

namespace netbench {
namespace {

void RunCase(benchmark::State& state, CaseName c, CaseSession* session) {
  const auto n = static_cast<uint64_t>(state.max_iterations);
  RunReport report;
  try {
    session->Prepare(c);
    report = c.test == "tcp_rr" ? session->client().RunRR(n) : session->client().RunStream(n);
  } catch (const std::exception& e) {
    session->Discard();
    state.SkipWithError(e.what());
    for (auto _ : state) {
    }
    return;
  }
  FeedIterations(state, report.samples_ns);
  if (c.test == "tcp_rr") {
    SetRRCounters(state, SummarizeRR(report.samples_ns));
  } else {
    SetStreamCounters(state, SummarizeStream(report.samples_ns, session->config().chunk_size),
                      report.retrans);
  }
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
