#include "bench/cases.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "bench/measure.h"
#include "bench/variants.h"
#include "common/errors.h"

namespace netbench {
namespace {

// Google Benchmark 1.7.1 crashes while aggregating a case whose repetitions are partly failed
// (its issues #1406, #2206); all-failed is safe. So a case's failure is sticky, a failure is
// first retried once on a fresh testbed, and a case that fails after good repetitions is
// abandoned (AbandonedCase): netbench reports it as errored and goes on with the next case.
struct CaseHistory {
  bool succeeded = false;
  int reported = 0;   // repetitions Google Benchmark reported (not its iteration search)
  std::string error;  // sticky: every later repetition fails with it
};

// NETBENCH_TEST_FAULT, read once.
const std::optional<Fault>& FaultFromEnv() {
  static const std::optional<Fault> f = [] {
    const char* v = std::getenv("NETBENCH_TEST_FAULT");
    return v ? ParseFault(v) : std::nullopt;
  }();
  return f;
}

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
  double manual_s = 0;  // the samples' sum: the manual time Google Benchmark adds up
};

// Prepare and measure once; throws on any failure, a clock disagreement included. `fault`:
// the signal a fault test wants sent to one side before measuring.
Attempt MeasureOnce(const CaseName& c, const TestSpec& test, uint64_t n, CaseSession* session,
                    const Fault* fault) {
  Attempt a;
  a.facts = session->Prepare(c, test);
  if (fault)
    if (pid_t pid = session->SidePid(fault->client); pid > 0) ::kill(pid, fault->signal);
  a.m = session->Measure(c, test, n);
  // The agent timed the samples with its own clock (a guest's, for kata): their sum must fit
  // in the wall time netbench saw around the whole run, or the numbers cannot be trusted.
  uint64_t sum_ns = 0;
  for (uint64_t v : a.m.report.samples_ns) sum_ns += v;
  a.manual_s = static_cast<double>(sum_ns) * 1e-9;
  if (a.manual_s > a.m.wall_s * 1.02 + 0.002)
    throw SetupError(fmt::format(
        "the agent's clock disagrees with the host's: samples add up to {:.4f} s in {:.4f} s "
        "of wall time",
        a.manual_s, a.m.wall_s));
  return a;
}

struct CaseRun {
  CaseName c;
  const TestSpec* test;
  CaseSession* session;
  Progress* progress;
  TimeLedger* ledger;
  double min_time_s;
  int repetitions;
};

// Times one attempt and, once its fate is known, writes it to the ledger (time_ledger.h).
class AttemptClock {
 public:
  explicit AttemptClock(TimeLedger* ledger) : ledger_(ledger) {
    if (ledger_) before_ = ledger_->parts();
  }
  void Settle(AttemptFate fate, double manual_s) {
    if (!ledger_) return;
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - t0_;
    std::array<double, kSpentParts> inside{};
    for (size_t i = 0; i < kSpentParts; ++i) inside[i] = ledger_->parts()[i] - before_[i];
    const auto add = AttributeAttempt(fate, wall.count(), manual_s, inside);
    for (size_t i = 0; i < kSpentParts; ++i) ledger_->Add(static_cast<Spent>(i), add[i]);
  }

 private:
  TimeLedger* ledger_;
  std::array<double, kSpentParts> before_{};
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

void RunCase(benchmark::State& state, const CaseRun& run) {
  const CaseName& c = run.c;
  const TestSpec* test = run.test;
  CaseSession* session = run.session;
  Progress* progress = run.progress;
  const std::string name = FormatCaseName(c);
  CaseHistory& history = Histories()[name];
  if (progress) progress->Repetition(name, history.reported + 1);
  if (!history.error.empty()) {
    ++history.reported;
    return Fail(state, history.error);
  }
  const auto n = static_cast<uint64_t>(state.max_iterations);
  const auto& fault = FaultFromEnv();
  const bool inject = fault && fault->case_name == name && history.reported + 1 >= fault->from;
  std::optional<Attempt> attempt;
  std::string error;
  std::optional<AttemptClock> clock;
  for (int i = 0; i < 2 && !attempt; ++i) {
    clock.emplace(run.ledger);
    try {
      attempt = MeasureOnce(c, *test, n, session, inject ? &*fault : nullptr);
    } catch (const std::exception& e) {
      clock->Settle(AttemptFate::kFailed, 0);
      session->Discard();
      error = e.what();
      if (i == 0 && progress) progress->ClearLine();
      if (i == 0)
        std::fprintf(stderr, "netbench: %s: %s; retrying once on a fresh testbed\n", name.c_str(),
                     error.c_str());
    }
  }
  if (!attempt) {
    if (history.succeeded) {
      history.error = error;  // should Google Benchmark call it again
      throw AbandonedCase(name, error + " (after good repetitions; netbench gave the case up)");
    }
    history.error = error;
    ++history.reported;
    return Fail(state, error);
  }
  history.succeeded = true;
  const Measurement& m = attempt->m;
  const bool reported =
      history.reported > 0 || GoogleBenchmarkReports(n, attempt->manual_s, run.min_time_s);
  if (reported) ++history.reported;
  clock->Settle(reported ? AttemptFate::kReported : AttemptFate::kSearch, attempt->manual_s);
  const CaseSession::Facts& facts = attempt->facts;
  FeedIterations(state, m.report.samples_ns);
  const uint64_t work = test->report(
      state, MeasuredRun{m.report.samples_ns, m.starts, m.report.retrans,
                         session->config().DataFor(*test, c), m.report.lost, m.report.connect_ns,
                         m.report.stream_min_bps, m.report.stream_max_bps});
  CpuCost cost;
  if (test->work == Work::kAgentLoop) {  // a start's CPU is the engine's and runtime's, unread
    cost = ComputeCpuCost(test->cpu_unit, work, m.client_cpu_ns, m.server_cpu_ns, m.stress_cpu_ns,
                          c.load == "stress", m.stress_separated, m.wall_s);
    SetCpuCounters(state, test->cpu_unit, cost);
  }
  // The stressor ran across the case's repetitions: its bogo-ops are its whole life's, on the
  // last one. This repetition was measured whatever its stop says; a failed stop is said in
  // the label, and the next case starts on a fresh testbed.
  std::string stress_error;
  if (c.load == "stress" && history.reported == run.repetitions) {
    try {
      if (const auto s = session->EndStress()) SetStressCounters(state, s->bogo_ops, s->wall_ns);
    } catch (const std::exception& e) {
      stress_error = std::string("stress-ng's bogo-ops unavailable: ") + e.what();
      session->Discard();
    }
  }
  if (m.stray_packets) state.counters["stray_packets"] = static_cast<double>(*m.stray_packets);
  for (const auto& [key, value] : facts.counters) state.counters[key] = value;
  std::string label = facts.label;
  if (const std::string poll = BusyPollLabel(session->config().DataFor(*test, c), m.report.napi_id,
                                             m.report.busy_poll_us);
      !poll.empty())
    label += (label.empty() ? "" : " ") + poll;
  if (!error.empty())  // this repetition was measured on a second, fresh testbed
    label += (label.empty() ? "" : " ") + std::string("retried after: ") + error;
  if (cost.server_includes_stress)
    label += (label.empty() ? "" : " ") + std::string("server cpu includes its stress");
  if (!stress_error.empty()) label += (label.empty() ? "" : " ") + stress_error;
  if (!label.empty()) state.SetLabel(label);
}

}  // namespace

bool GoogleBenchmarkReports(uint64_t iterations, double manual_seconds, double min_time_s) {
  constexpr uint64_t kMaxIterations = 1'000'000'000;  // Google Benchmark's
  return iterations >= kMaxIterations || manual_seconds >= min_time_s;
}

std::optional<Fault> ParseFault(std::string_view spec) {
  // <kill|stop>-<client|server>:<case>:<repetition>
  const auto a = spec.find(':');
  const auto b = spec.rfind(':');
  if (a == std::string_view::npos || b == a) return std::nullopt;
  const std::string_view action = spec.substr(0, a);
  Fault f;
  if (action == "kill-client" || action == "kill-server")
    f.signal = SIGKILL;
  else if (action == "stop-client" || action == "stop-server")
    f.signal = SIGSTOP;
  else
    return std::nullopt;
  f.client = action.ends_with("client");
  f.case_name = std::string(spec.substr(a + 1, b - a - 1));
  const std::string rep(spec.substr(b + 1));
  char* end = nullptr;
  const long r = std::strtol(rep.c_str(), &end, 10);
  if (f.case_name.empty() || rep.empty() || *end != '\0' || r < 1) return std::nullopt;
  f.from = static_cast<int>(r);
  return f;
}

void RegisterCases(const Matrix& m, CaseSession* session, Progress* progress, TimeLedger* ledger,
                   double min_time_s, int repetitions) {
  for (const CaseName& c : m.cases) {
    const TestSpec* test = FindTest(c.test);
    if (!test) throw UsageError("unknown test '" + c.test + "'");
    benchmark::RegisterBenchmark(
        FormatCaseName(c).c_str(), RunCase,
        CaseRun{c, test, session, progress, ledger, min_time_s, repetitions})
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace netbench
