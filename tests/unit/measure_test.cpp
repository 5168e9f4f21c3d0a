#include "bench/measure.h"

#include <gtest/gtest.h>

#include <vector>

namespace netbench {
namespace {

TEST(Measure, RRSummary) {
  std::vector<uint64_t> s(1000, 10'000);  // 10 us each
  s.back() = 1'000'000;                   // one 1 ms outlier
  RRSummary r = SummarizeRR(s);
  EXPECT_EQ(r.count, 1000u);
  EXPECT_NEAR(r.p50_us, 10.0, 0.08);
  EXPECT_NEAR(r.p99_us, 10.0, 0.08);
  EXPECT_DOUBLE_EQ(r.max_us, 1000.0);
  EXPECT_NEAR(r.total_s, 999 * 10e-6 + 1e-3, 1e-9);
  EXPECT_NEAR(r.tps, 1000 / r.total_s, 1e-6);
}

TEST(Measure, StreamSummary) {
  std::vector<uint64_t> s(100, 200'000);  // 1 MiB per 200 us
  StreamSummary r = SummarizeStream(s, 1 << 20);
  EXPECT_EQ(r.bytes, 100u << 20);
  EXPECT_NEAR(r.total_s, 0.02, 1e-12);
  EXPECT_NEAR(r.gbit_per_s, (100.0 * (1 << 20) * 8) / 0.02 / 1e9, 1e-9);
}

TEST(Measure, CpuCostPerTransactionAndPerGigabyte) {
  CpuCost rr =
      ComputeCpuCost(CpuUnit::kPerTransaction, 1000, 20'000'000, 30'000'000, 0, false, false, 1.0);
  EXPECT_DOUBLE_EQ(rr.client, 20.0);  // 20 ms over 1000 transactions
  EXPECT_DOUBLE_EQ(rr.server, 30.0);
  CpuCost st = ComputeCpuCost(CpuUnit::kPerGigabyte, 2'000'000'000, 500'000'000, 250'000'000, 0,
                              false, false, 1);
  EXPECT_DOUBLE_EQ(st.client, 0.25);  // 0.5 s for 2 GB
  EXPECT_DOUBLE_EQ(st.server, 0.125);
}

TEST(Measure, StressIsExcludedWhenSeparatedAndLabelledWhenNot) {
  CpuCost sep =
      ComputeCpuCost(CpuUnit::kPerTransaction, 1000, 0, 900'000'000, 800'000'000, true, true, 1.0);
  EXPECT_DOUBLE_EQ(sep.server, 100.0);
  EXPECT_FALSE(sep.server_includes_stress);
  EXPECT_DOUBLE_EQ(sep.stress_cpus, 0.8);
  CpuCost vm = ComputeCpuCost(CpuUnit::kPerTransaction, 1000, 0, 900'000'000, 0, true, false, 1.0);
  EXPECT_DOUBLE_EQ(vm.server, 900.0);
  EXPECT_TRUE(vm.server_includes_stress);
}

}  // namespace
}  // namespace netbench
