#include "common/case_name.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace netbench {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(CaseName, FormatsIdleWithoutSuffixAndParamsAsKeyValueParts) {
  EXPECT_EQ(FormatCaseName({"runc", "bridge", "tcp_rr", "idle", {}}), "runc/bridge/tcp_rr");
  EXPECT_EQ(FormatCaseName({"kata", "macvlan", "tcp_stream", "stress", {}}),
            "kata/macvlan/tcp_stream/stress");
  EXPECT_EQ(FormatCaseName({"runc", "bridge", "tcp_stream", "idle", {{"streams", "4"}}}),
            "runc/bridge/tcp_stream/streams:4");
  EXPECT_EQ(FormatCaseName({"runc", "macvlan", "tcp_rr", "stress", {{"poll", "busy"}}}),
            "runc/macvlan/tcp_rr/stress/poll:busy");
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
  EXPECT_TRUE(c->params.empty());
  c = ParseCaseName("runc/bridge/tcp_stream/streams:4/manual_time_median", &err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->params, (Params{{"streams", "4"}}));
}

TEST(CaseName, ATestWithoutLoopsIsACaseLikeAnyOther) {
  std::string err;
  auto c = ParseCaseName("runc/bridge/start", &err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->test, "start");
}

TEST(CaseName, RoundTrips) {
  for (const auto& l : kLoads)
    for (const Params& p :
         {Params{}, Params{{"poll", "busy"}}, Params{{"streams", "4"}, {"a", "b"}}}) {
      CaseName c{"runc", "overlay", "tcp_rr", l, p};
      std::string err;
      auto parsed = ParseCaseName(FormatCaseName(c), &err);
      ASSERT_TRUE(parsed) << err;
      EXPECT_EQ(*parsed, c);
    }
}

TEST(CaseName, RejectsWhatIsNotTheGrammar) {
  std::string err;
  EXPECT_FALSE(ParseCaseName("runc/bridge", &err));
  EXPECT_FALSE(ParseCaseName("runc//tcp_rr", &err));
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/heavy", &err));
  EXPECT_NE(err.find("unexpected part 'heavy'"), std::string::npos);
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/poll:", &err));
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/:busy", &err));
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/a:b:c", &err));
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/poll:busy/stress", &err));  // stress first
}

TEST(CaseName, GoogleBenchmarksKeysAreReserved) {
  for (const char* k : {"min_time", "iterations", "repeats", "threads"})
    EXPECT_TRUE(IsReservedParamKey(k)) << k;
  EXPECT_FALSE(IsReservedParamKey("streams"));
  std::string err;
  auto c = ParseCaseName("runc/bridge/tcp_rr/threads:2", &err);  // Google Benchmark's: dropped
  ASSERT_TRUE(c) << err;
  EXPECT_TRUE(c->params.empty());
  EXPECT_FALSE(ParseCaseName("runc/bridge/tcp_rr/threads:2/poll:busy", &err));
}

TEST(CaseName, TopologyKey) {
  std::string err;
  auto k = ParseTopologyKey("runc/macvlan", &err);
  ASSERT_TRUE(k) << err;
  EXPECT_EQ(k->str(), "runc/macvlan");
  EXPECT_TRUE(ParseTopologyKey("runc/macvlan/tcp_rr", &err));
  EXPECT_FALSE(ParseTopologyKey("runc", &err));
}

TEST(CaseName, ParseListChecksEveryItemAgainstWhatIsKnown) {
  const std::vector<std::string> runtimes = {"runc", "kata"};
  EXPECT_EQ(ParseList("runc,kata,runc", runtimes, "runtime"),
            (std::vector<std::string>{"runc", "kata"}));
  EXPECT_THROW(ParseList("runc,gvisor", runtimes, "runtime"), UsageError);
  EXPECT_THROW(ParseList("", runtimes, "runtime"), UsageError);
  EXPECT_EQ(UnknownError("runx", runtimes, "runtime"),
            "unknown runtime 'runx' (known: runc, kata)");
}

}  // namespace
}  // namespace netbench
