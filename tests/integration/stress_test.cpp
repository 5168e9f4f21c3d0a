// The stress load and the CPU cost counters, against cgroup reads made here independently.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "bench/case_session.h"
#include "bench/measure.h"
#include "tests/integration/testbed_checks.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

// Read straight from the file, not through netbench's helpers.
double UsageSeconds(const std::string& id) {
  std::ifstream f("/sys/fs/cgroup/cpuacct/netbench/" + id + "/cpuacct.usage");
  uint64_t ns = 0;
  f >> ns;
  EXPECT_TRUE(f) << id;
  return static_cast<double>(ns) * 1e-9;
}

class StressTest : public testing::TestbedTest<> {
 protected:
  void SetUp() override {
    TestbedTest::SetUp();
    ctx_.stress_ng = "/usr/bin/stress-ng";
  }
};

TEST_F(StressTest, AStressorRunsAcrossACasesRepetitionsAtItsLoadAndNoneSurvivesTheCase) {
  {
    RunDirectory dir(ctx_.StateDir());
    testing::ContextBackend backend(ctx_);
    CaseSession session(backend, MeasureConfig{});
    CaseName c{"runc", "bridge", "tcp_rr", "stress", {}};
    session.Prepare(c, *FindTest("tcp_rr"));
    const std::string server = ctx_.Name("s");
    const double u0 = UsageSeconds(server);
    const auto t0 = std::chrono::steady_clock::now();
    Measurement m = session.Measure(c, *FindTest("tcp_rr"), 5000);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpus = (UsageSeconds(server) - u0) / wall;
    EXPECT_GE(cpus, 0.8) << "server side cgroup (stress child included) used " << cpus << " CPU";
    EXPECT_TRUE(m.stress_separated);
    EXPECT_GT(m.stress_cpu_ns, 0u);
    EXPECT_LE(m.stress_cpu_ns, m.server_cpu_ns);
    // The next repetition finds it running, at its load over the whole run.
    const auto stressor = [] {
      std::vector<std::string> out;
      for (const auto& t : testing::SnapshotTraces())
        if (t.find("stress-ng") != std::string::npos) out.push_back(t);
      return out;
    };
    const auto running = stressor();
    EXPECT_FALSE(running.empty()) << "between repetitions the stressor runs on";
    session.Prepare(c, *FindTest("tcp_rr"));
    m = session.Measure(c, *FindTest("tcp_rr"), 5000);
    EXPECT_EQ(stressor(), running) << "the same stressor, not a new one";
    // The server's CPU is busy (the stressor sharing it with the agent), and the stressor has
    // its share of it, over the whole second run.
    EXPECT_GT(static_cast<double>(m.server_cpu_ns), 0.8e9 * m.wall_s);
    EXPECT_GT(static_cast<double>(m.stress_cpu_ns), 0.3e9 * m.wall_s);
    const auto report = session.EndStress();
    ASSERT_TRUE(report.has_value());
    EXPECT_GT(report->bogo_ops, 0u);
    EXPECT_FALSE(session.EndStress().has_value()) << "stopped once";
    // After the case nothing stresses the server.
    EXPECT_TRUE(stressor().empty());
  }
  ExpectNothingLeft();
}

TEST_F(StressTest, CpuCostCountersAgreeWithCgroupReadsAroundTheRun) {
  RunDirectory dir(ctx_.StateDir());
  testing::ContextBackend backend(ctx_);
  CaseSession session(backend, MeasureConfig{});
  for (const char* test : {"tcp_rr", "tcp_stream"}) {
    CaseName c{"runc", "bridge", test, "idle", {}};
    session.Prepare(c, *FindTest(test));
    const bool rr = c.test == "tcp_rr";
    const uint64_t n = rr ? 8000 : 1500;  // about a second each here
    const double c0 = UsageSeconds(ctx_.Name("c")), s0 = UsageSeconds(ctx_.Name("s"));
    Measurement m = session.Measure(c, *FindTest(test), n);
    const double c1 = UsageSeconds(ctx_.Name("c")), s1 = UsageSeconds(ctx_.Name("s"));
    const uint64_t bytes = rr ? 0 : n * session.config().chunk_size;
    CpuCost counters = ComputeCpuCost(FindTest(test)->cpu_unit, rr ? n : bytes, m.client_cpu_ns,
                                      m.server_cpu_ns, m.stress_cpu_ns, false, false, m.wall_s);
    const double unit = rr ? 1e6 / static_cast<double>(n)               // us per transaction
                           : 1.0 / (static_cast<double>(bytes) / 1e9);  // s per GB
    const double client_read = (c1 - c0) * unit, server_read = (s1 - s0) * unit;
    EXPECT_NEAR(counters.client / client_read, 1.0, 0.10) << test;
    EXPECT_NEAR(counters.server / server_read, 1.0, 0.10) << test;
  }
}

}  // namespace
}  // namespace netbench
