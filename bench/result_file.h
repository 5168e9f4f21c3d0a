#pragma once
// The --benchmark_out file, owned by netbench so that it is always valid JSON: Google
// Benchmark's own file would be left unclosed when a case fails for good after good
// repetitions (1.7.1 cannot report such a case, see cases.h), and half written on Ctrl-C.
// Runs are collected in memory, in Google Benchmark's JSON format (its JSONReporter writes
// them), across as many RunSpecifiedBenchmarks calls as the run needs; Commit() writes the
// file beside its path and renames it into place, so it is either complete or absent.

#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbench {

// Adds key/value string entries at the end of the JSON's context object (as Google Benchmark
// 1.7.1's JSONReporter writes it); false when the text has no such object. Pure.
bool InsertContext(std::string* json,
                   const std::vector<std::pair<std::string, std::string>>& entries);
// s as a JSON string literal, quoted and escaped. Pure.
std::string JsonString(std::string_view s);

class ResultFile : public benchmark::BenchmarkReporter {
 public:
  // path "": no file, but errored cases are still counted.
  explicit ResultFile(std::string path);

  bool ReportContext(const Context& context) override;  // the first call's only
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override {}  // after every RunSpecifiedBenchmarks call: the run goes on

  // A case Google Benchmark could not report (it failed for good after good repetitions):
  // written as `repetitions` errored repetitions with the reason.
  void AddAbandoned(const std::string& case_name, int64_t family_index, int repetitions,
                    const std::string& reason);
  // Ends the JSON and puts the file in place (temporary file, then rename). Throws SetupError
  // when it cannot be written. `late_context`: entries known only at the end (the run's time
  // breakdown), added to the context Google Benchmark wrote at the start.
  void Commit(const std::vector<std::pair<std::string, std::string>>& late_context = {});

  // Every case with an errored repetition: its name and the first reason.
  const std::vector<std::pair<std::string, std::string>>& errored() const { return errored_; }
  // The file written until Commit renames it ("" without a path).
  const std::string& temp_path() const { return temp_; }

 private:
  void NoteErrors(const std::vector<Run>& runs);

  std::string path_;
  std::string temp_;
  std::ostringstream buf_;
  benchmark::JSONReporter json_;
  bool context_done_ = false;
  std::vector<std::pair<std::string, std::string>> errored_;
};

}  // namespace netbench
