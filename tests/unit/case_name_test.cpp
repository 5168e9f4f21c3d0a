#include "common/case_name.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace netbench {
namespace {

TEST(CaseName, FormatsIdleWithoutSuffix) {
  EXPECT_EQ(FormatCaseName({"runc", "bridge", "tcp_rr", "idle"}), "runc/bridge/tcp_rr");
  EXPECT_EQ(FormatCaseName({"kata", "macvlan", "tcp_stream", "stress"}),
            "kata/macvlan/tcp_stream/stress");
}

TEST(CaseName, ParsesWhatGoogleBenchmarkPrints) {
  std::string err;
  auto c = ParseCaseName("kata/macvlan/tcp_rr/stress/manual_time", &err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->runtime, "kata");
  EXPECT_EQ(c->driver, "macvlan");
  EXPECT_EQ(c->test, "tcp_rr");
  EXPECT_EQ(c->load, "stress");
  c = ParseCaseName("runc/host/tcp_stream/manual_time_mean", &err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->load, "idle");
  c = ParseCaseName("runc/overlay/tcp_rr/repeats:15/manual_time", &err);
  ASSERT_TRUE(c) << err;
}

TEST(CaseName, RoundTrips) {
  for (const auto& r : kRuntimes)
    for (const auto& d : kDrivers)
      for (const auto& t : kTests)
        for (const auto& l : kLoads) {
          CaseName c{r, d, t, l};
          std::string err;
          auto p = ParseCaseName(FormatCaseName(c), &err);
          ASSERT_TRUE(p) << err;
          EXPECT_EQ(*p, c);
        }
}

TEST(CaseName, RejectsUnknownParts) {
  std::string err;
  EXPECT_FALSE(ParseCaseName("runx/bridge/tcp_rr", &err));
  EXPECT_NE(err.find("unknown runtime 'runx'"), std::string::npos);
  EXPECT_FALSE(ParseCaseName("runc/ipvlan/tcp_rr", &err));
  EXPECT_NE(err.find("unknown driver"), std::string::npos);
  EXPECT_FALSE(ParseCaseName("runc/bridge/udp_rr", &err));
  EXPECT_FALSE(ParseCaseName("runc/bridge", &err));
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/heavy", &err));
}

TEST(CaseName, TopologyKey) {
  std::string err;
  auto k = ParseTopologyKey("runc/macvlan", &err);
  ASSERT_TRUE(k) << err;
  EXPECT_EQ(k->str(), "runc/macvlan");
  EXPECT_TRUE(ParseTopologyKey("runc/macvlan/tcp_rr", &err));
  EXPECT_FALSE(ParseTopologyKey("runc", &err));
  EXPECT_FALSE(ParseTopologyKey("runc/wifi", &err));
}

TEST(CaseName, ParseList) {
  EXPECT_EQ(ParseList("runc,kata,runc", kRuntimes, "runtime"),
            (std::vector<std::string>{"runc", "kata"}));
  EXPECT_THROW(ParseList("runc,gvisor", kRuntimes, "runtime"), UsageError);
  EXPECT_THROW(ParseList("", kRuntimes, "runtime"), UsageError);
}

}  // namespace
}  // namespace netbench
