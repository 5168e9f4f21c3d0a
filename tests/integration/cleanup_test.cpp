// Nothing netbench makes may outlive it: after a normal run, after Ctrl-C mid-case, and after
// SIGKILL followed by `netbench gc`. Traces are read with the system's tools (traces.h).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/subprocess.h"
#include "tests/integration/testbed_checks.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

using testing::Sh;

const std::string kNetbench = NETBENCH_BIN;

class CleanupTest : public testing::TestbedTest<> {
 protected:
  // Starts a long run and waits until both sides are up and measuring.
  pid_t StartLongRun(const std::string& runtime = "runc") {
    pid_t pid = Spawn({kNetbench, "--benchmark_filter=" + runtime + "/bridge/tcp_rr/",
                       "--benchmark_repetitions=1000", "--benchmark_min_time=0.2"},
                      WithStdio(-1, -1, -1));
    const std::string side = runtime == "kata" ? "process qemu-system" : "runc container";
    for (int i = 0; i < 1200; ++i) {
      auto now = testing::NewTraces(before_, testing::SnapshotTraces());
      int sides = 0;
      for (const auto& t : now) sides += t.rfind(side, 0) == 0;
      if (sides == 2) {
        std::this_thread::sleep_for(std::chrono::milliseconds(700));  // mid-measurement
        return pid;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid, SIGKILL);
    WaitFor(pid, -1);
    ADD_FAILURE() << "netbench never brought its containers up";
    return -1;
  }
  void CtrlCMidCase(const std::string& runtime) {
    pid_t pid = StartLongRun(runtime);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(::kill(pid, SIGINT), 0);
    auto code = WaitFor(pid, 60000);
    ASSERT_TRUE(code.has_value()) << "netbench did not exit after SIGINT";
    EXPECT_EQ(*code, 128 + SIGINT);
    ExpectNothingLeft();
  }
  void SigkillThenGc(const std::string& runtime) {
    pid_t pid = StartLongRun(runtime);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    WaitFor(pid, -1);
    EXPECT_FALSE(testing::NewTraces(before_, testing::SnapshotTraces()).empty())
        << "a SIGKILLed run should leave something for gc to remove";
    auto gc = Sh(kNetbench + " gc 2>&1");
    EXPECT_EQ(gc.code, 0) << gc.out;
    ExpectNothingLeft();
  }
};

TEST_F(CleanupTest, NormalRunLeavesNothing) {
  auto r = Sh(kNetbench +
              " --benchmark_filter=runc/macvlan/tcp_rr --benchmark_repetitions=2 "
              "--benchmark_min_time=0.05 2>&1");
  EXPECT_EQ(r.code, 0) << r.out;
  ExpectNothingLeft();
}

TEST_F(CleanupTest, CtrlCMidCaseLeavesNothing) { CtrlCMidCase("runc"); }

TEST_F(CleanupTest, SigkillThenGcLeavesNothing) {
  SigkillThenGc("runc");
  auto again = Sh(kNetbench + " gc 2>&1");
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("nothing to remove"), std::string::npos) << again.out;
}

TEST_F(CleanupTest, AnAgentDyingMidRunIsAnErrorNotACrash) {
  pid_t pid = Spawn({kNetbench, "--benchmark_filter=runc/bridge/tcp_rr/", "--loads", "idle",
                     "--benchmark_repetitions=6", "--benchmark_min_time=0.3"},
                    WithStdio(-1, -1, -1));
  // Kill the first agent seen (netbench's next write to it hits a closed pipe).
  bool killed = false;
  for (int i = 0; i < 300 && !killed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& t : testing::NewTraces(before_, testing::SnapshotTraces())) {
      if (t.rfind("process nb-agent ", 0) == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        killed = ::kill(std::stoi(t.substr(t.rfind(' ') + 1)), SIGKILL) == 0;
        break;
      }
    }
  }
  EXPECT_TRUE(killed);
  auto code = WaitFor(pid, 120000);
  ASSERT_TRUE(code.has_value()) << "netbench hung after its agent died";
  EXPECT_EQ(*code, 0) << "netbench must report the failed repetition and go on, not die";
  ExpectNothingLeft();
}

TEST_F(CleanupTest, KataNormalRunLeavesNothing) {
  auto r = Sh(kNetbench +
                  " --benchmark_filter=kata/macvlan/tcp_rr/ --loads idle "
                  "--benchmark_repetitions=2 --benchmark_min_time=0.05 2>&1",
              300000);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << r.out;
  ExpectNothingLeft();
}

TEST_F(CleanupTest, KataCtrlCMidCaseLeavesNothing) { CtrlCMidCase("kata"); }

TEST_F(CleanupTest, KataSigkillThenGcLeavesNothing) { SigkillThenGc("kata"); }

TEST_F(CleanupTest, UpLeavesAWorkingPathAndDownRemovesIt) {
  auto up = Sh(kNetbench + " up runc/bridge --json");
  ASSERT_EQ(up.code, 0) << up.out;
  auto j = nlohmann::json::parse(up.out);
  const std::string run = j["run_id"];
  // The published port answers from the client's namespace on its CPU.
  auto probe = Sh("nsenter --net=" + j["client_netns"].get<std::string>() +
                  " timeout 5 bash -c 'exec 3<>/dev/tcp/" + j["target_ip"].get<std::string>() +
                  "/" + std::to_string(j["port"].get<int>()) + "' && echo open");
  EXPECT_NE(probe.out.find("open"), std::string::npos) << probe.out;
  EXPECT_FALSE(testing::NewTraces(before_, testing::SnapshotTraces()).empty());
  auto down = Sh(kNetbench + " down " + run + " 2>&1");
  EXPECT_EQ(down.code, 0) << down.out;
  ExpectNothingLeft();
}

}  // namespace
}  // namespace netbench
