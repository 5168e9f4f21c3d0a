#pragma once
// Registers the matrix with Google Benchmark and runs each case: prepare (fixtures), ask the
// client agent to measure, report (measure.h). No plumbing happens here, and nothing of the
// path is timed (an attempt's wall time is taken for the run's breakdown, time_ledger.h).

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bench/case_session.h"
#include "bench/matrix.h"
#include "bench/progress.h"

namespace netbench {

// Thrown out of Google Benchmark when a case fails for good after good repetitions. 1.7.1
// aborts when it aggregates a case whose repetitions are only partly failed (its issue #1406:
// a failed repetition reports 0 iterations), so netbench writes that case as errored itself
// (ResultFile::AddAbandoned) and runs the remaining cases in a new RunSpecifiedBenchmarks.
class AbandonedCase : public std::runtime_error {
 public:
  AbandonedCase(std::string name, const std::string& reason)
      : std::runtime_error(reason), name_(std::move(name)) {}
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// progress and ledger may be null (listing only). min_time_s: --benchmark_min_time in force
// (netbench counts the repetitions Google Benchmark reports, apart from its iteration search);
// repetitions: --benchmark_repetitions in force (the last one stops a case's stressor).
void RegisterCases(const Matrix& m, CaseSession* session, Progress* progress, TimeLedger* ledger,
                   double min_time_s, int repetitions);

// Whether Google Benchmark 1.7.1 reports the first repetition's run of `iterations` whose
// manual times add up to manual_seconds, rather than trying more iterations (its
// BenchmarkRunner::ShouldReportIterationResults for manual time); later repetitions reuse the
// count and are always reported.
bool GoogleBenchmarkReports(uint64_t iterations, double manual_seconds, double min_time_s);

// Fault tests (tests/integration/fault_test.cpp) set NETBENCH_TEST_FAULT to
// "<kill|stop>-<client|server>:<case>:<repetition>": from that repetition of that case on,
// netbench sends SIGKILL or SIGSTOP to that side's sandbox process (its agent; a VM's QEMU)
// just before it measures, retry included. A real fault on the real process; unset, nothing.
struct Fault {
  int signal = 0;
  bool client = true;
  std::string case_name;
  int from = 1;
};
std::optional<Fault> ParseFault(std::string_view spec);

}  // namespace netbench
