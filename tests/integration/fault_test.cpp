// A result CI can trust: whatever happens to a case (its agents killed or stopped, its VM
// killed, Ctrl-C), the run goes on or ends within a bounded time, the result file is valid
// JSON or absent, the exit status says what happened, and nothing is left. Faults are real:
// NETBENCH_TEST_FAULT makes netbench SIGKILL or SIGSTOP a side's real process (bench/cases.h).

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/subprocess.h"
#include "tests/integration/testbed_checks.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Sh;

const std::string kNetbench = NETBENCH_BIN;
const std::string kCompare = std::string(NETBENCH_SOURCE_DIR) + "/tools/compare.py";
// Short settings: these check behaviour, not performance.
const std::string kQuick = " --benchmark_repetitions=5 --benchmark_min_time=0.05 -q";

class FaultTest : public testing::TestbedTest<> {
 protected:
  void SetUp() override {
    TestbedTest::SetUp();
    dir_ = fs::temp_directory_path() / ("nb-fault-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Out(const std::string& name) const { return (dir_ / name).string(); }
  // The cases of a result file: name -> its iteration runs.
  static std::map<std::string, std::vector<json>> Cases(const std::string& path) {
    std::ifstream f(path);
    json j = json::parse(f);  // throws (fails the test) unless valid JSON
    std::map<std::string, std::vector<json>> out;
    for (const auto& b : j["benchmarks"])
      if (b.value("run_type", "") == "iteration") out[b["run_name"]].push_back(b);
    return out;
  }
  static bool Errored(const std::vector<json>& reps) {
    for (const auto& r : reps)
      if (!r.value("error_occurred", false)) return false;
    return !reps.empty();
  }
  static bool Measured(const std::vector<json>& reps) {
    for (const auto& r : reps)
      if (r.value("error_occurred", false) || !(r["real_time"].get<double>() > 0)) return false;
    return !reps.empty();
  }
  // Runs the two idle cases of faulty's runtime on the bridge driver with `action` done to it
  // from its second repetition on: exit 1, `faulty` errored, `other` measured, nothing left.
  // Returns how long the run took, in seconds.
  double ExpectOnlyTheFaultyCaseErrored(const std::string& action, const std::string& faulty,
                                        const std::string& other) {
    const std::string runtime = faulty.substr(0, faulty.find('/'));
    const auto t0 = std::chrono::steady_clock::now();
    auto r = Sh("NETBENCH_TEST_FAULT=" + action + ":" + faulty + ":2 " + kNetbench +
                    " --runtimes " + runtime + " --drivers bridge --loads idle" + kQuick +
                    " --benchmark_out=" + Out("r.json") + " 2>&1",
                600000);
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.code, 1) << r.out;
    auto cases = Cases(Out("r.json"));
    EXPECT_TRUE(Errored(cases[faulty + "/manual_time"])) << r.out;
    EXPECT_TRUE(Measured(cases[other + "/manual_time"])) << r.out;
    ExpectNothingLeft();
    return took;
  }
  fs::path dir_;
};

// Issue 10's acceptance: three cases, the middle one fails for good after three good
// repetitions (its client agent killed at the fourth, and again on the fresh testbed).
TEST_F(FaultTest, ACaseThatFailsAfterGoodRepetitionsIsErroredAndTheOthersRun) {
  const std::string three =
      " --runtimes runc --drivers bridge,host,macvlan --tests tcp_rr "
      "--loads idle" +
      kQuick;
  const std::string bad = Out("bad.json"), clean = Out("clean.json");
  auto r = Sh("NETBENCH_TEST_FAULT=kill-client:runc/host/tcp_rr:4 " + kNetbench + three +
                  " --benchmark_out=" + bad + " 2>&1",
              300000);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("runc/host/tcp_rr"), std::string::npos) << r.out;
  auto cases = Cases(bad);
  EXPECT_TRUE(Measured(cases["runc/bridge/tcp_rr/manual_time"])) << r.out;
  EXPECT_TRUE(Errored(cases["runc/host/tcp_rr/manual_time"])) << r.out;
  EXPECT_FALSE(cases["runc/host/tcp_rr/manual_time"].empty());
  const std::string why = cases["runc/host/tcp_rr/manual_time"][0].value("error_message", "");
  EXPECT_NE(why.find("agent"), std::string::npos) << why;
  EXPECT_TRUE(Measured(cases["runc/macvlan/tcp_rr/manual_time"])) << r.out;
  ExpectNothingLeft();

  auto ok = Sh(kNetbench + three + " --benchmark_out=" + clean + " 2>&1", 300000);
  ASSERT_EQ(ok.code, 0) << ok.out;
  auto gate = Sh("/usr/bin/python3 " + kCompare + " " + clean + " " + bad +
                 " --fail-on-regression 10 2>&1");
  EXPECT_EQ(gate.code, 1) << gate.out;
  EXPECT_NE(gate.out.find("runc/host/tcp_rr"), std::string::npos) << gate.out;
}

TEST_F(FaultTest, AKilledServerAgentErrorsItsCaseAndTheRunGoesOn) {
  ExpectOnlyTheFaultyCaseErrored("kill-server", "runc/bridge/tcp_rr", "runc/bridge/tcp_stream");
}

TEST_F(FaultTest, AStoppedAgentCannotHoldTheRunPastItsWatchdog) {
  const double took =
      ExpectOnlyTheFaultyCaseErrored("stop-client", "runc/bridge/tcp_stream", "runc/bridge/tcp_rr");
  EXPECT_LT(took, 120);  // two watchdog periods (first try, retry) and teardown
}

TEST_F(FaultTest, AKilledQemuErrorsTheKataCaseAndNothingIsLeft) {
  ExpectOnlyTheFaultyCaseErrored("kill-client", "kata/bridge/tcp_rr", "kata/bridge/tcp_stream");
}

TEST_F(FaultTest, CtrlCLeavesNoResultFileNotAHalfWrittenOne) {
  const std::string out = Out("r.json");
  pid_t pid =
      Spawn({kNetbench, "--benchmark_filter=runc/bridge/tcp_rr/", "--benchmark_repetitions=1000",
             "--benchmark_min_time=0.2", "--benchmark_out=" + out},
            WithStdio(-1, -1, -1));
  std::this_thread::sleep_for(std::chrono::seconds(6));  // measuring by now
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  auto code = WaitFor(pid, 60000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 128 + SIGINT);
  EXPECT_TRUE(fs::is_empty(dir_)) << "a result file (or its temporary) was left";
  ExpectNothingLeft();
}

TEST_F(FaultTest, AllMeasuredIsExitZeroAndSkippedNoticesOnlyForSelectedCases) {
  auto r = Sh(kNetbench + " --benchmark_filter=^runc/bridge/tcp_rr/manual_time" + kQuick +
              " --benchmark_out=" + Out("r.json") + " 2>&1");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.find("skipped"), std::string::npos) << r.out;
  EXPECT_TRUE(Measured(Cases(Out("r.json"))["runc/bridge/tcp_rr/manual_time"]));
  ExpectNothingLeft();
}

// Every driver of both runtimes, counting in every namespace and on the wire: no packet of
// netbench's leaves 198.18.0.0/15 (and loopback).
TEST_F(FaultTest, TrafficStaysInTheBenchmarkingRangeOnEveryDriverOfBothRuntimes) {
  auto r = Sh(kNetbench +
                  " --count-stray-traffic --loads idle --benchmark_repetitions=1 "
                  "--benchmark_min_time=0.05 -q --benchmark_out=" +
                  Out("r.json") + " 2>&1",
              900000);
  ASSERT_EQ(r.code, 0) << r.out;
  std::ifstream f(Out("r.json"));
  json j = json::parse(f);
  EXPECT_NE(j["context"].value("stray_traffic", "").find("counted"), std::string::npos);
  int cases = 0;
  for (const auto& b : j["benchmarks"]) {
    if (b.value("run_type", "") != "iteration") continue;
    ++cases;
    ASSERT_TRUE(b.contains("stray_packets")) << b["run_name"];
    EXPECT_EQ(b["stray_packets"].get<double>(), 0) << b["run_name"];
  }
  EXPECT_EQ(cases, 14);  // runc on 4 drivers, kata on 3, two tests each
  ExpectNothingLeft();
}

}  // namespace
}  // namespace netbench
