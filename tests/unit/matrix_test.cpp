#include "bench/matrix.h"

#include <gtest/gtest.h>

namespace netbench {
namespace {

const std::vector<std::string> kDrivers = {"bridge", "host", "macvlan", "overlay"};
const std::vector<std::string> kTests = {"tcp_rr", "tcp_stream"};

// The netns backend's rule, as a backend would give it.
std::string KataNoHost(const std::string& runtime, const std::string& driver) {
  return runtime == "kata" && driver == "host" ? "cannot use the host network driver" : "";
}

TEST(Matrix, FullRuncSetIsEightCases) {
  Matrix m = BuildMatrix({"runc"}, kDrivers, kTests, {"idle"}, {}, KataNoHost);
  EXPECT_EQ(m.cases.size(), 8u);
  EXPECT_TRUE(m.skipped.empty());
}

TEST(Matrix, KataHostIsSkippedWithReasonNeverRegistered) {
  Matrix m = BuildMatrix({"runc", "kata"}, kDrivers, kTests, {"idle"}, {}, KataNoHost);
  EXPECT_EQ(m.cases.size(), 14u);
  ASSERT_EQ(m.skipped.size(), 2u);
  EXPECT_EQ(m.skipped[0].first, "kata/host/tcp_rr");
  EXPECT_NE(m.skipped[0].second.find("host network driver"), std::string::npos);
  for (const auto& c : m.cases) EXPECT_FALSE(c.runtime == "kata" && c.driver == "host");
}

TEST(Matrix, UnavailableRuntimeIsSkipped) {
  Matrix m = BuildMatrix({"runc", "kata"}, {"bridge"}, {"tcp_rr"}, {"idle", "stress"},
                         {{"kata", "not installed"}}, KataNoHost);
  EXPECT_EQ(m.cases.size(), 2u);
  ASSERT_EQ(m.skipped.size(), 2u);
  EXPECT_EQ(m.skipped[1].first, "kata/bridge/tcp_rr/stress");
  EXPECT_EQ(m.skipped[1].second, "not installed");
}

TEST(Matrix, GroupedByTopology) {
  Matrix m =
      BuildMatrix({"runc"}, {"bridge", "macvlan"}, kTests, {"idle", "stress"}, {}, KataNoHost);
  ASSERT_EQ(m.cases.size(), 8u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(m.cases[i].driver, "bridge");
  for (size_t i = 4; i < 8; ++i) EXPECT_EQ(m.cases[i].driver, "macvlan");
}

TEST(Matrix, ATestsLoadsFollowEachOtherSoTheyShareOneWarmConnection) {
  Matrix m = BuildMatrix({"runc"}, {"bridge"}, kTests, {"idle", "stress"}, {}, KataNoHost);
  std::vector<std::string> names;
  for (const auto& c : m.cases) names.push_back(FormatCaseName(c));
  EXPECT_EQ(names,
            (std::vector<std::string>{"runc/bridge/tcp_rr", "runc/bridge/tcp_rr/stress",
                                      "runc/bridge/tcp_stream", "runc/bridge/tcp_stream/stress"}));
}

}  // namespace
}  // namespace netbench
