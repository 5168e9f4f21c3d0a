// What a run does around its cases: its result file, its progress lines, its watchdog, its
// fault injection, and the Google Benchmark flags it checks.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/case_session.h"
#include "bench/cases.h"
#include "bench/options.h"
#include "bench/progress.h"
#include "bench/result_file.h"
#include "common/errors.h"

namespace netbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ResultFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("nb-resultfile-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static benchmark::BenchmarkReporter::Run Good(const std::string& name, int rep) {
    benchmark::BenchmarkReporter::Run r;
    r.run_name.function_name = name;
    r.run_name.time_type = "manual_time";
    r.family_index = 0;
    r.per_family_instance_index = 0;
    r.iterations = 100;
    r.repetition_index = rep;
    r.repetitions = 3;
    r.real_accumulated_time = 0.001;
    r.counters["p50_us"] = 10;
    return r;
  }
  fs::path dir_;
};

TEST_F(ResultFileTest, NothingIsOnDiskUntilCommitThenValidJsonWithEveryCase) {
  const std::string path = (dir_ / "r.json").string();
  ResultFile f(path);
  EXPECT_TRUE(f.ReportContext(benchmark::BenchmarkReporter::Context()));
  EXPECT_TRUE(f.ReportContext(benchmark::BenchmarkReporter::Context()));  // a new run: once
  f.ReportRuns({Good("runc/bridge/tcp_rr", 0), Good("runc/bridge/tcp_rr", 1)});
  f.AddAbandoned("runc/bridge/tcp_stream", 1, 3, "agent died");
  f.ReportRuns({Good("runc/host/tcp_rr", 0)});
  f.Finalize();  // Google Benchmark's end of one RunSpecifiedBenchmarks: the run goes on
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(f.temp_path()));
  f.Commit();
  EXPECT_FALSE(fs::exists(f.temp_path()));
  std::ifstream in(path);
  json j = json::parse(in);  // throws on invalid JSON
  ASSERT_EQ(j["benchmarks"].size(), 6u);
  EXPECT_EQ(j["benchmarks"][2]["run_name"], "runc/bridge/tcp_stream/manual_time");
  EXPECT_EQ(j["benchmarks"][2]["error_occurred"], true);
  EXPECT_EQ(j["benchmarks"][2]["error_message"], "agent died");
  EXPECT_EQ(j["benchmarks"][5]["p50_us"], 10);
  ASSERT_EQ(f.errored().size(), 1u);
  EXPECT_EQ(f.errored()[0].first, "runc/bridge/tcp_stream");
}

TEST_F(ResultFileTest, EntriesKnownOnlyAtTheEndJoinTheContextGoogleBenchmarkWrote) {
  const std::string path = (dir_ / "r.json").string();
  ResultFile f(path);
  benchmark::AddCustomContext("result_file_test", "netns");
  f.ReportContext(benchmark::BenchmarkReporter::Context());
  f.ReportRuns({Good("runc/bridge/tcp_rr", 0)});
  f.Commit({{"time_wall_s", "12.500"}, {"odd \"key\"", "a\\b\n"}});
  std::ifstream in(path);
  json j = json::parse(in);
  EXPECT_EQ(j["context"]["result_file_test"], "netns");
  EXPECT_EQ(j["context"]["time_wall_s"], "12.500");
  EXPECT_EQ(j["context"]["odd \"key\""], "a\\b\n");
  EXPECT_EQ(j["benchmarks"].size(), 1u);
}

TEST(ResultFileText, ContextEntriesNeedGoogleBenchmarksContextObject) {
  std::string text = "not a result";
  EXPECT_FALSE(InsertContext(&text, {{"k", "v"}}));
  EXPECT_EQ(text, "not a result");
  EXPECT_EQ(JsonString("tab\there"), "\"tab\\u0009here\"");
}

TEST_F(ResultFileTest, LeavesOutNumbersJsonCannotHold) {
  const std::string path = (dir_ / "r.json").string();
  ResultFile f(path);
  f.ReportContext(benchmark::BenchmarkReporter::Context());
  auto cv = Good("kata/bridge/tcp_stream", 0);
  cv.counters["retrans"] = std::nan("");  // 0 / 0: every repetition retransmitted nothing
  cv.counters["gbit_per_s"] = 0.01;
  f.ReportRuns({cv});
  f.Commit();
  std::ifstream in(path);
  json j = json::parse(in);  // strict: no NaN
  EXPECT_FALSE(j["benchmarks"][0].contains("retrans"));
  EXPECT_EQ(j["benchmarks"][0]["gbit_per_s"], 0.01);
}

TEST_F(ResultFileTest, WithoutAPathItOnlyCountsErrors) {
  ResultFile f("");
  f.ReportContext(benchmark::BenchmarkReporter::Context());
  auto bad = Good("kata/bridge/tcp_rr", 0);
  bad.error_occurred = true;
  bad.error_message = "vm did not boot";
  f.ReportRuns({bad, bad});
  f.Commit();
  ASSERT_EQ(f.errored().size(), 1u);
  EXPECT_EQ(f.errored()[0].second, "vm did not boot");
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST(Progress, SaysWhichCaseOfHowManyAndWhatIsLeft) {
  EXPECT_EQ(CaseLine(1, 14, "runc/bridge/tcp_rr", 0.2, std::nullopt),
            "[1/14] runc/bridge/tcp_rr (0:00 so far)");
  EXPECT_EQ(CaseLine(3, 14, "runc/host/tcp_rr", 42, 125),
            "[3/14] runc/host/tcp_rr (0:42 so far, about 2:05 left)");
  EXPECT_EQ(Clock(3725), "1:02:05");
}

TEST(Progress, PrintsOneLinePerCaseAndNothingWhenQuiet) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = ::open_memstream(&buf, &len);
  {
    Progress p({"a/b/c", "a/b/d"}, 3, false, false, out);
    for (int rep : {1, 1, 2, 3}) p.Repetition("a/b/c", rep);
    p.Repetition("a/b/d", 1);
    Progress quiet({"a/b/c"}, 3, true, true, out);
    quiet.Repetition("a/b/c", 1);
  }
  std::fclose(out);
  const std::string text(buf, len);
  std::free(buf);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  EXPECT_NE(text.find("[1/2] a/b/c"), std::string::npos) << text;
  EXPECT_NE(text.find("[2/2] a/b/d"), std::string::npos) << text;
}

TEST(Progress, OnATerminalALiveRepetitionLineIsClearedBeforeAnythingElse) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = ::open_memstream(&buf, &len);
  {
    Progress p({"a/b/c"}, 15, false, true, out);
    p.Repetition("a/b/c", 1);
    p.Repetition("a/b/c", 2);
    p.ClearLine();  // what netbench's console reporter does before Google Benchmark's rows
    p.ClearLine();  // nothing left to clear: nothing written
  }
  std::fclose(out);
  const std::string text(buf, len);
  std::free(buf);
  EXPECT_NE(text.find("a/b/c: repetition 2/15"), std::string::npos) << text;
  const std::string clear = "\r\033[K";
  EXPECT_EQ(text.substr(text.size() - clear.size()), clear);
  EXPECT_EQ(text.find(clear + clear), std::string::npos);
}

TEST(StressLoad, IsReachedWhenAWindowShowsNinetyPercentOfWhatTheStressorWasTold) {
  const proto::StressCmd one_full{1, 100};
  EXPECT_TRUE(AtStressLoad(19'000'000, 20'000'000, one_full));
  EXPECT_FALSE(AtStressLoad(17'000'000, 20'000'000, one_full)) << "still starting";
  EXPECT_TRUE(AtStressLoad(9'500'000, 20'000'000, proto::StressCmd{1, 50}));
  EXPECT_FALSE(AtStressLoad(19'000'000, 20'000'000, proto::StressCmd{2, 100}));
  EXPECT_FALSE(AtStressLoad(1, 0, one_full)) << "no window, no load";
}

TEST(StreamWarmup, TopsUpToTheWantedSecondsAtThePaceSoFar) {
  EXPECT_EQ(WarmupTopUp(0.01, 32, 1.0), 3168u);  // 99x the first run's iterations, rounded up
  EXPECT_EQ(WarmupTopUp(0.4, 100, 1.0), 150u);
  EXPECT_EQ(WarmupTopUp(1.0, 100, 1.0), 0u) << "warm enough";
  EXPECT_EQ(WarmupTopUp(1.2, 100, 1.0), 0u);
  EXPECT_EQ(WarmupTopUp(0.01, 32, 0.0), 0u) << "--stream-warmup 0: the short warm-up only";
  EXPECT_EQ(WarmupTopUp(0.0, 32, 1.0), 0u) << "no time measured, no pace to size a run by";
}

TEST(Watchdog, IsTenTimesTheExpectedRunWithinTenSecondsAndTenMinutes) {
  EXPECT_EQ(WatchdogMs(1000, 30e-6), 10'000);      // a 30 ms run: the floor
  EXPECT_EQ(WatchdogMs(20'000, 500e-6), 100'000);  // a 10 s run (kata under TCG)
  EXPECT_EQ(WatchdogMs(1'000'000, 1.0), 600'000);  // the ceiling
}

TEST(CpuCounters, ADipOfAReadingGapIsNothingAndALargerOneIsAnError) {
  EXPECT_EQ(Elapsed(5'000'000, 2'000'000, "x"), 3'000'000u);
  EXPECT_EQ(Elapsed(2'000'000, 2'500'000, "x"), 0u);  // 0.5 ms back: two readings apart
  EXPECT_THROW(Elapsed(1'000, 9'000'000, "the server's"), SetupError);
}

TEST(Repetitions, GoogleBenchmarkReportsARunOnceItLastsMinTime) {
  EXPECT_FALSE(GoogleBenchmarkReports(1, 30e-6, 0.5));  // its iteration search goes on
  EXPECT_TRUE(GoogleBenchmarkReports(20'000, 0.6, 0.5));
  EXPECT_TRUE(GoogleBenchmarkReports(1'000'000'000, 0.1, 0.5));
}

TEST(Faults, AreParsedFromTheTestVariableOnly) {
  auto f = ParseFault("kill-client:runc/bridge/tcp_stream:4");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->signal, SIGKILL);
  EXPECT_TRUE(f->client);
  EXPECT_EQ(f->case_name, "runc/bridge/tcp_stream");
  EXPECT_EQ(f->from, 4);
  f = ParseFault("stop-server:kata/macvlan/tcp_rr/stress:1");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->signal, SIGSTOP);
  EXPECT_FALSE(f->client);
  EXPECT_EQ(f->case_name, "kata/macvlan/tcp_rr/stress");
  for (const char* bad : {"", "kill-client", "kill-client:x", "nuke-client:a/b/c:1",
                          "kill-client:a/b/c:0", "kill-client::2", "kill-client:a/b/c:x"})
    EXPECT_FALSE(ParseFault(bad)) << bad;
}

TEST(BenchmarkFlags, TheLastOneWinsAsInGoogleBenchmark) {
  std::vector<std::string> args = {"x", "--benchmark_repetitions=15", "--benchmark_out=a.json",
                                   "--benchmark_repetitions=3"};
  EXPECT_EQ(BenchmarkFlag(args, "repetitions"), "3");
  EXPECT_EQ(BenchmarkFlag(args, "out"), "a.json");
  EXPECT_FALSE(BenchmarkFlag(args, "min_time"));
}

}  // namespace
}  // namespace netbench
