// `netbench [flags]`: the benchmark. Chooses the cases, gets the backend ready for the
// runtimes they need, writes the context, and lets Google Benchmark run them.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>

#include "bench/case_session.h"
#include "bench/cases.h"
#include "bench/commands.h"
#include "bench/context.h"
#include "bench/filter.h"
#include "bench/matrix.h"
#include "common/errors.h"

namespace netbench {
namespace {

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> v;
  for (const auto& a : args) v.push_back(const_cast<char*>(a.c_str()));
  return v;
}

void PrintSkipped(const Matrix& m) {
  for (const auto& [name, why] : m.skipped)
    std::fprintf(stderr, "netbench: skipped %s: %s\n", name.c_str(), why.c_str());
}

// The runtimes of which the filter selects at least one case.
std::vector<std::string> SelectedRuntimes(const Matrix& all, const BenchmarkFilter& filter) {
  std::vector<std::string> out;
  for (const auto& c : all.cases)
    if (filter.Selects(FormatCaseName(c)) &&
        std::find(out.begin(), out.end(), c.runtime) == out.end())
      out.push_back(c.runtime);
  return out;
}

std::vector<const TestSpec*> Tests(const std::vector<std::string>& names) {
  std::vector<const TestSpec*> out;
  for (const auto& n : names) out.push_back(FindTest(n));
  return out;
}

}  // namespace

int RunBenchmarks(const Options& o) {
  auto backend = BackendFor(o);
  auto unsupported = [&](const std::string& r, const std::string& d) {
    return backend->UnsupportedReason(r, d);
  };
  if (o.list_only) {
    Matrix m = BuildMatrix(o.runtimes, o.drivers, o.tests, o.loads, {}, unsupported);
    auto args = Argv(o.benchmark_args);
    int argc = static_cast<int>(args.size());
    benchmark::Initialize(&argc, args.data());
    PrintSkipped(m);
    RegisterCases(m, nullptr);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
  }
  RequireRoot("netbench");
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

  auto args = Argv(o.benchmark_args);
  int argc = static_cast<int>(args.size());
  benchmark::Initialize(&argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(argc, args.data())) return 2;

  std::string error;
  auto filter = BenchmarkFilter::Compile(benchmark::GetBenchmarkFilter(), &error);
  if (!filter) throw UsageError("--benchmark_filter: " + error);
  const Matrix all = BuildMatrix(eff.runtimes, eff.drivers, eff.tests, eff.loads, {}, unsupported);
  const Unavailable unavailable = backend->Prepare(SelectedRuntimes(all, *filter));
  Matrix m = BuildMatrix(eff.runtimes, eff.drivers, eff.tests, eff.loads, unavailable, unsupported);
  PrintSkipped(m);

  const MeasureConfig cfg{o.msg_size, o.write_size, o.chunk_size,
                          proto::StressCmd{o.stress_cpus, o.stress_load}};
  for (const auto& [k, v] : BenchContext(o.backend, cfg, Tests(eff.tests), m))
    benchmark::AddCustomContext(k, v);
  for (const auto& [k, v] : backend->Context(eff.drivers)) benchmark::AddCustomContext(k, v);
  for (const auto& w : backend->Warnings()) std::fprintf(stderr, "netbench: %s\n", w.c_str());

  CaseSession session(*backend, cfg);
  RegisterCases(m, &session);
  benchmark::RunSpecifiedBenchmarks();
  session.Teardown();
  benchmark::Shutdown();
  return 0;
}

}  // namespace netbench
