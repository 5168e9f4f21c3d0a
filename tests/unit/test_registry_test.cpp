#include "bench/test_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "bench/matrix.h"
#include "common/case_name.h"

namespace netbench {
namespace {

TEST(TestRegistry, EveryTestHasALoopAKindAndMetricsWithUnitsAndDirections) {
  std::set<uint16_t> ports;
  size_t loops = 0;
  for (const TestSpec& t : AllTests()) {
    const std::string kind = t.kind;
    EXPECT_TRUE(kind == "rr" || kind == "stream" || kind == "start") << t.name;
    EXPECT_EQ(kind == "start", t.work == Work::kSandboxStart) << t.name;
    EXPECT_GT(t.warmup_iterations, 0u) << t.name;
    EXPECT_NE(t.report, nullptr) << t.name;
    EXPECT_FALSE(t.metrics.empty()) << t.name;
    for (const MetricSpec& m : t.metrics) {
      EXPECT_FALSE(std::string(m.unit).empty()) << m.name;
      const std::string b = m.better;
      EXPECT_TRUE(b == "lower" || b == "higher" || b == "none") << m.name;
    }
    if (t.work != Work::kAgentLoop) continue;
    ++loops;
    ports.insert(proto::PortOffset(t.mode));
  }
  EXPECT_EQ(ports.size(), loops) << "two agent loops share a data port";
}

TEST(TestRegistry, TheDefaultMatrixIsTheStudysAndStartLatencyHasNoStressVariant) {
  EXPECT_EQ(DefaultTestNames(), (std::vector<std::string>{"tcp_rr", "tcp_stream"}));
  auto none = [](const std::string&, const std::string&) { return std::string(); };
  Matrix m = BuildMatrix({"runc"}, {"bridge"}, {"tcp_rr", "start"}, {"idle", "stress"}, {}, none);
  std::vector<std::string> names;
  for (const auto& c : m.cases) names.push_back(FormatCaseName(c));
  EXPECT_EQ(names, (std::vector<std::string>{"runc/bridge/tcp_rr", "runc/bridge/tcp_rr/stress",
                                             "runc/bridge/start"}));
  EXPECT_TRUE(m.skipped.empty());
}

TEST(TestRegistry, TestNamesAreValidCaseNameParts) {
  for (const auto& name : TestNames()) {
    std::string error;
    auto c = ParseCaseName("runc/bridge/" + name, &error);
    ASSERT_TRUE(c) << error;
    EXPECT_EQ(c->test, name);
    EXPECT_EQ(FindTest(name)->name, name);
  }
  EXPECT_EQ(FindTest("udp_nope"), nullptr);
}

TEST(TestRegistry, CpuCostUnitFollowsTheTest) {
  EXPECT_EQ(FindTest("tcp_rr")->cpu_unit, CpuUnit::kPerTransaction);
  EXPECT_EQ(FindTest("tcp_stream")->cpu_unit, CpuUnit::kPerGigabyte);
  EXPECT_STREQ(CommonMetrics(*FindTest("tcp_rr"))[1].name, "client_cpu_us_per_tx");
  EXPECT_STREQ(CommonMetrics(*FindTest("tcp_stream"))[1].name, "client_cpu_s_per_gb");
}

}  // namespace
}  // namespace netbench
