// `netbench [flags]`: the benchmark. Chooses the cases, gets the backend ready for the
// runtimes they need, writes the context, lets Google Benchmark run them, and writes the
// result file itself (result_file.h) so it is valid whatever happens to a case.
//
// Exit status: 0 when every selected case measured; 1 when a case errored (listed at the
// end); 2 for bad input, a filter that selects nothing and a runtime named with --runtimes
// that cannot run here included. Cases skipped because the combination does not exist
// (kata/host) or a runtime selected by default is not installed do not change it.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "bench/case_session.h"
#include "bench/cases.h"
#include "bench/commands.h"
#include "bench/context.h"
#include "bench/filter.h"
#include "bench/matrix.h"
#include "bench/progress.h"
#include "bench/result_file.h"
#include "bench/time_ledger.h"
#include "common/errors.h"
#include "fixtures/signal_cleanup.h"

namespace netbench {
namespace {

std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> v;
  for (auto& a : args) v.push_back(a.data());
  return v;
}

// Google Benchmark writes no file of its own: netbench's ResultFile does (a custom file
// reporter needs --benchmark_out, so it gets one that holds nothing).
std::vector<std::string> BenchmarkArgs(const Options& o) {
  std::vector<std::string> args = o.benchmark_args;
  args.emplace_back("--benchmark_out=/dev/null");
  args.emplace_back("--benchmark_out_format=json");
  return args;
}

Matrix Selected(const Matrix& m, const BenchmarkFilter& filter) {
  Matrix out;
  for (const auto& c : m.cases)
    if (filter.Selects(FormatCaseName(c))) out.cases.push_back(c);
  for (const auto& s : m.skipped)
    if (filter.Selects(s.first)) out.skipped.push_back(s);
  return out;
}

std::vector<std::string> Runtimes(const Matrix& m) {
  std::vector<std::string> out;
  for (const auto& c : m.cases)
    if (std::find(out.begin(), out.end(), c.runtime) == out.end()) out.push_back(c.runtime);
  return out;
}

std::vector<const TestSpec*> Tests(const std::vector<std::string>& names) {
  std::vector<const TestSpec*> out;
  for (const auto& n : names) out.push_back(FindTest(n));
  return out;
}

// An extended regular expression selecting exactly these cases.
std::string SpecFor(const std::vector<CaseName>& cases) {
  std::string alt;
  for (const auto& c : cases) {
    std::string escaped;
    for (char ch : FormatCaseName(c)) {
      if (std::string_view(".[]{}()\\*+?^$|").find(ch) != std::string_view::npos) escaped += '\\';
      escaped += ch;
    }
    alt += (alt.empty() ? "" : "|") + escaped;
  }
  return "^(" + alt + ")/manual_time$";
}

benchmark::ConsoleReporter::OutputOptions ConsoleOptions(const Options& o) {
  int opts = benchmark::ConsoleReporter::OO_None;
  const auto color = BenchmarkFlag(o.benchmark_args, "color").value_or("auto");
  if (color == "true" || color == "yes" || color == "force" ||
      (color == "auto" && ::isatty(STDOUT_FILENO)))
    opts |= benchmark::ConsoleReporter::OO_Color;
  if (BenchmarkFlag(o.benchmark_args, "counters_tabular").value_or("false") == "true")
    opts |= benchmark::ConsoleReporter::OO_Tabular;
  return static_cast<benchmark::ConsoleReporter::OutputOptions>(opts);
}

}  // namespace

int RunBenchmarks(const Options& o) {
  auto backend = BackendFor(o);
  auto unsupported = [&](const std::string& r, const std::string& d) {
    return backend->UnsupportedReason(r, d);
  };
  std::vector<std::string> gb_args = BenchmarkArgs(o);
  auto argv = Argv(gb_args);
  int argc = static_cast<int>(argv.size());
  if (o.list_only) {
    Matrix m = BuildMatrix(o.runtimes, o.drivers, o.tests, o.loads, {}, unsupported, o.variants);
    benchmark::Initialize(&argc, argv.data());
    for (const auto& [name, why] : m.skipped)
      std::fprintf(stderr, "netbench: skipped %s: %s\n", name.c_str(), why.c_str());
    RegisterCases(m, nullptr, nullptr, nullptr, o.min_time_s, o.repetitions);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
  }
  RequireRoot("netbench");
  const auto t0 = std::chrono::steady_clock::now();
  backend->Check();
  // --attach: the testbed decides the runtime and driver.
  Options eff = o;
  if (auto key = backend->Attached()) {
    eff.runtimes = {key->runtime};
    eff.drivers = {key->driver};
    std::fprintf(stderr,
                 "netbench: attached to %s (%s, left up by `netbench up`): its cases only\n",
                 o.attach.c_str(), key->str().c_str());
  }

  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data())) return 2;

  std::string error;
  auto filter = BenchmarkFilter::Compile(benchmark::GetBenchmarkFilter(), &error);
  if (!filter) throw UsageError("--benchmark_filter: " + error);
  const Matrix all = Selected(
      BuildMatrix(eff.runtimes, eff.drivers, eff.tests, eff.loads, {}, unsupported, eff.variants),
      *filter);
  if (all.cases.empty())
    throw UsageError("--benchmark_filter=" + benchmark::GetBenchmarkFilter() +
                     " selects no case (see netbench --benchmark_list_tests)");
  TimeLedger ledger;
  Unavailable unavailable;
  {
    // kata's guest image is checked here (0.3 s: its inputs hashed, its outputs' stamps compared)
    // or built for an agent binary it has none for (6.7-8.4 s): once a run.
    TimeLedger::Scope preparing(&ledger, Spent::kPrepare);
    unavailable = backend->Prepare(Runtimes(all));
  }
  for (const auto& [runtime, why] : unavailable)
    if (o.runtimes_given)
      throw UsageError("--runtimes " + runtime + ": it cannot run here: " + why);
  const Matrix m = Selected(BuildMatrix(eff.runtimes, eff.drivers, eff.tests, eff.loads,
                                        unavailable, unsupported, eff.variants),
                            *filter);
  for (const auto& [name, why] : m.skipped)
    std::fprintf(stderr, "netbench: skipped %s: %s\n", name.c_str(), why.c_str());

  const MeasureConfig cfg{o.msg_size, o.write_size, o.chunk_size,
                          proto::StressCmd{o.stress_cpus, o.stress_load}, o.stream_warmup_s};
  for (const auto& [k, v] : BenchContext(o.backend, cfg, Tests(eff.tests), m))
    benchmark::AddCustomContext(k, v);
  for (const auto& [k, v] : backend->Context(eff.drivers)) benchmark::AddCustomContext(k, v);
  for (const auto& w : backend->Warnings()) std::fprintf(stderr, "netbench: %s\n", w.c_str());

  std::vector<std::string> names;
  for (const auto& c : m.cases) names.push_back(FormatCaseName(c));
  Progress progress(names, o.repetitions, o.quiet, ::isatty(STDERR_FILENO) != 0);
  ResultFile file(o.out_path);
  if (!file.temp_path().empty()) AtSignal([temp = file.temp_path()] { ::unlink(temp.c_str()); });
  NetbenchConsole console(ConsoleOptions(o), &progress);
  const bool own_console =
      BenchmarkFlag(o.benchmark_args, "format").value_or("console") == "console";
  CaseSession session(*backend, cfg, &ledger);
  RegisterCases(m, &session, &progress, &ledger, o.min_time_s, o.repetitions);
  // A case given up after good repetitions (cases.h) ends Google Benchmark's run: netbench
  // writes it as errored and runs the cases after it.
  std::vector<CaseName> remaining = m.cases;
  while (!remaining.empty()) {
    try {
      benchmark::RunSpecifiedBenchmarks(own_console ? &console : nullptr, &file,
                                        SpecFor(remaining));
      remaining.clear();
    } catch (const AbandonedCase& e) {
      auto it = std::find_if(remaining.begin(), remaining.end(),
                             [&](const CaseName& c) { return FormatCaseName(c) == e.name(); });
      if (it == remaining.end()) throw;
      progress.ClearLine();
      std::fprintf(stderr, "netbench: %s: %s\n", e.name().c_str(), e.what());
      progress.Skip(e.name());
      const auto family = std::find(names.begin(), names.end(), e.name()) - names.begin();
      file.AddAbandoned(e.name(), family, o.repetitions, e.what());
      session.Discard();
      remaining.erase(remaining.begin(), it + 1);
    }
  }
  session.Teardown();
  progress.ClearLine();
  const TimeBreakdown spent = ledger.Breakdown(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!o.quiet) std::fprintf(stderr, "%s\n", FormatBreakdown(spent).c_str());
  file.Commit(BreakdownContext(spent));
  benchmark::Shutdown();
  if (file.errored().empty()) return 0;
  std::fprintf(stderr, "netbench: %zu of %zu cases errored:\n", file.errored().size(),
               m.cases.size());
  for (const auto& [name, why] : file.errored())
    std::fprintf(stderr, "  %s: %s\n", name.c_str(), why.c_str());
  return 1;
}

}  // namespace netbench
