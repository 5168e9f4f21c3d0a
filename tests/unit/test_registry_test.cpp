#include "bench/test_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/case_name.h"

namespace netbench {
namespace {

TEST(TestRegistry, EveryTestHasALoopAKindAndMetricsWithUnitsAndDirections) {
  std::set<uint16_t> ports;
  for (const TestSpec& t : AllTests()) {
    EXPECT_TRUE(std::string(t.kind) == "rr" || std::string(t.kind) == "stream") << t.name;
    EXPECT_GT(t.warmup_iterations, 0u) << t.name;
    EXPECT_NE(t.report, nullptr) << t.name;
    EXPECT_FALSE(t.metrics.empty()) << t.name;
    for (const MetricSpec& m : t.metrics) {
      EXPECT_FALSE(std::string(m.unit).empty()) << m.name;
      const std::string b = m.better;
      EXPECT_TRUE(b == "lower" || b == "higher" || b == "none") << m.name;
    }
    ports.insert(proto::PortOffset(t.mode));
  }
  EXPECT_EQ(ports.size(), AllTests().size()) << "two tests share a data port";
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
