#include "bench/cases.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "bench/measure.h"
#include "common/errors.h"

namespace netbench {
namespace {

// Google Benchmark 1.7.1 crashes while aggregating a case whose repetitions are partly failed
// (its issues #1406, #2206); all-failed is safe. So a case's failure is sticky, a failure is
// first retried once on a fresh testbed, and a case that fails after good repetitions stops
// the run with a clear message instead of a crash.
struct CaseHistory {
  bool succeeded = false;
  std::string error;  // sticky: every later repetition fails with it
};

std::map<std::string, CaseHistory>& Histories() {
  static std::map<std::string, CaseHistory> h;
  return h;
}

void Fail(benchmark::State& state, const std::string& error) {
  state.SkipWithError(error.c_str());
  for (auto _ : state) {
  }
}

struct Attempt {
  CaseSession::Facts facts;
  Measurement m;
};

// Prepare and measure once; throws on any failure, a clock disagreement included.
Attempt MeasureOnce(const CaseName& c, const TestSpec& test, uint64_t n, CaseSession* session) {
  Attempt a;
  a.facts = session->Prepare(c, test);
  a.m = session->Measure(c, n);
  // The agent timed the samples with its own clock (a guest's, for kata): their sum must fit
  // in the wall time netbench saw around the whole run, or the numbers cannot be trusted.
  uint64_t sum_ns = 0;
  for (uint64_t v : a.m.report.samples_ns) sum_ns += v;
  if (static_cast<double>(sum_ns) * 1e-9 > a.m.wall_s * 1.02 + 0.002)
    throw SetupError(fmt::format(
        "the agent's clock disagrees with the host's: samples add up to {:.4f} s in {:.4f} s "
        "of wall time",
        static_cast<double>(sum_ns) * 1e-9, a.m.wall_s));
  return a;
}

void RunCase(benchmark::State& state, CaseName c, const TestSpec* test, CaseSession* session) {
  const std::string name = FormatCaseName(c);
  CaseHistory& history = Histories()[name];
  if (!history.error.empty()) return Fail(state, history.error);
  const auto n = static_cast<uint64_t>(state.max_iterations);
  std::optional<Attempt> attempt;
  std::string error;
  for (int i = 0; i < 2 && !attempt; ++i) {
    try {
      attempt = MeasureOnce(c, *test, n, session);
    } catch (const std::exception& e) {
      session->Discard();
      error = e.what();
      if (i == 0)
        std::fprintf(stderr, "netbench: %s: %s; retrying once on a fresh testbed\n", name.c_str(),
                     error.c_str());
    }
  }
  if (!attempt) {
    if (history.succeeded)
      throw FatalRunError(name + " failed after good repetitions (" + error +
                          "); Google Benchmark 1.7.1 cannot report a case with some failed "
                          "repetitions (its issue #1406), so netbench stops here");
    history.error = error;
    return Fail(state, error);
  }
  history.succeeded = true;
  const Measurement& m = attempt->m;
  const CaseSession::Facts& facts = attempt->facts;
  FeedIterations(state, m.report.samples_ns);
  const uint64_t work = test->report(
      state, RunResult{m.report.samples_ns, m.report.retrans, session->config().DataFor(*test)});
  const CpuCost cost =
      ComputeCpuCost(test->cpu_unit, work, m.client_cpu_ns, m.server_cpu_ns, m.stress_cpu_ns,
                     m.stress.has_value(), m.stress_separated, m.wall_s);
  SetCpuCounters(state, test->cpu_unit, cost);
  if (m.stress) SetStressCounters(state, m.stress->bogo_ops, m.stress->wall_ns);
  for (const auto& [key, value] : facts.counters) state.counters[key] = value;
  std::string label = facts.label;
  if (!error.empty())  // this repetition was measured on a second, fresh testbed
    label += (label.empty() ? "" : " ") + std::string("retried after: ") + error;
  if (cost.server_includes_stress)
    label += (label.empty() ? "" : " ") + std::string("server cpu includes guest stress");
  if (!label.empty()) state.SetLabel(label);
}

}  // namespace

void RegisterCases(const Matrix& m, CaseSession* session) {
  for (const CaseName& c : m.cases) {
    const TestSpec* test = FindTest(c.test);
    if (!test) throw UsageError("unknown test '" + c.test + "'");
    benchmark::RegisterBenchmark(FormatCaseName(c).c_str(), RunCase, c, test, session)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace netbench
