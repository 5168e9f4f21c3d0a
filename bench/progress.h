#pragma once
// What a run is doing, on stderr: one line per case as it starts ("[k/N] case", the time
// spent so far and an estimate of what is left), and on a terminal a live line per
// repetition, which netbench's console reporter clears before Google Benchmark prints a row
// so the table is never torn. Google Benchmark 1.7.1's State does not say which repetition
// runs: netbench counts them itself.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netbench {

// "[3/14] runc/host/tcp_rr (0:42 so far, about 2:05 left)"; pure.
std::string CaseLine(size_t k, size_t n, const std::string& name, double elapsed_s,
                     std::optional<double> left_s);
// "m:ss" (or "h:mm:ss").
std::string Clock(double seconds);

class Progress {
 public:
  // cases: the selected cases in the order they run; quiet: print nothing; live: the
  // per-repetition line (a terminal).
  Progress(std::vector<std::string> cases, int repetitions, bool quiet, bool live,
           std::FILE* out = stderr);
  // Repetition `rep` (1-based) of a case is being measured (Google Benchmark's iteration
  // search runs the first more than once).
  void Repetition(const std::string& case_name, int rep);
  // Erases the live line (before anything else goes to the terminal).
  void ClearLine();
  // A case that will not run again (abandoned): counted as done.
  void Skip(const std::string& case_name);

 private:
  std::vector<std::string> cases_;
  int repetitions_;
  bool quiet_;
  bool live_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::map<std::string, bool> seen_;
  size_t started_ = 0;
  bool line_shown_ = false;
};

// Google Benchmark's console table, printed once however often the run restarts it, with
// the progress line cleared before every row.
class NetbenchConsole : public benchmark::ConsoleReporter {
 public:
  NetbenchConsole(OutputOptions opts, Progress* progress)
      : ConsoleReporter(opts), progress_(progress) {}
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;

 private:
  Progress* progress_;
  bool context_done_ = false;
};

}  // namespace netbench
