#include "bench/time_ledger.h"

#include <gtest/gtest.h>

#include <map>

namespace netbench {
namespace {

constexpr size_t I(Spent p) { return static_cast<size_t>(p); }

std::array<double, kSpentParts> Parts(std::initializer_list<std::pair<Spent, double>> l) {
  std::array<double, kSpentParts> a{};
  for (const auto& [p, s] : l) a[I(p)] = s;
  return a;
}

TEST(TimeLedger, AReportedRepetitionIsItsSamplesMeasuringAndTheRestOfItsOwnTimeOverhead) {
  // 1.0 s of wall, 0.3 s of it the stressor's start and stop, 0.6 s of samples.
  const auto add =
      AttributeAttempt(AttemptFate::kReported, 1.0, 0.6, Parts({{Spent::kStress, 0.3}}));
  EXPECT_DOUBLE_EQ(add[I(Spent::kMeasuring)], 0.6);
  EXPECT_NEAR(add[I(Spent::kRepetitionOverhead)], 0.1, 1e-12);
  EXPECT_EQ(add[I(Spent::kStress)], 0) << "already counted where it happened";
}

TEST(TimeLedger, ASearchRunIsWhollyTheSearchsItsStressorIncludedButNotTheTestbedItBroughtUp) {
  const auto add = AttributeAttempt(AttemptFate::kSearch, 2.0, 0.05,
                                    Parts({{Spent::kStress, 0.25}, {Spent::kTestbedUp, 1.0}}));
  EXPECT_DOUBLE_EQ(add[I(Spent::kIterationSearch)], 1.0);
  EXPECT_DOUBLE_EQ(add[I(Spent::kStress)], -0.25) << "moved from the stressor to the search";
  EXPECT_EQ(add[I(Spent::kTestbedUp)], 0);
  EXPECT_EQ(add[I(Spent::kMeasuring)], 0);
}

TEST(TimeLedger, AFailedAttemptsOwnTimeIsARetrys) {
  const auto add = AttributeAttempt(AttemptFate::kFailed, 3.0, 0, Parts({{Spent::kWarmup, 1.0}}));
  EXPECT_DOUBLE_EQ(add[I(Spent::kRetries)], 2.0);
}

TEST(TimeLedger, SamplesLongerThanTheAttemptsOwnTimeNeverMakeOverheadNegative) {
  const auto add = AttributeAttempt(AttemptFate::kReported, 0.5, 0.6, {});
  EXPECT_DOUBLE_EQ(add[I(Spent::kMeasuring)], 0.5);
  EXPECT_EQ(add[I(Spent::kRepetitionOverhead)], 0);
}

TEST(TimeLedger, TheBreakdownsOtherIsTheWallLessEveryPart) {
  TimeLedger l;
  l.Add(Spent::kMeasuring, 8);
  l.Add(Spent::kTestbedUp, 1);
  const TimeBreakdown b = l.Breakdown(10);
  EXPECT_DOUBLE_EQ(b.other_s(), 1);
  EXPECT_DOUBLE_EQ(b.measuring_share(), 0.8);
  EXPECT_EQ(l.Breakdown(5).other_s(), 0) << "never negative";
  EXPECT_EQ(TimeBreakdown{}.measuring_share(), 0);
}

TEST(TimeLedger, TheStderrLineGivesTheMeasuringShareThenTheLargestWaitsFirst) {
  TimeLedger l;
  l.Add(Spent::kMeasuring, 85);
  l.Add(Spent::kStress, 3);
  l.Add(Spent::kVmBoot, 9);
  l.Add(Spent::kRetries, 0.01);  // too small to show
  EXPECT_EQ(FormatBreakdown(l.Breakdown(100)),
            "netbench: time: 100.0 s; measuring 85.0 s (85.0%); VM boots 9.0 s (9.0%); "
            "stressor start, settle and stop 3.0 s (3.0%); other 3.0 s (3.0%)");
}

TEST(TimeLedger, TheContextHasTheWallEveryPartOtherAndTheShare) {
  TimeLedger l;
  l.Add(Spent::kMeasuring, 9);
  std::map<std::string, std::string> ctx;
  for (const auto& [k, v] : BreakdownContext(l.Breakdown(10))) ctx[k] = v;
  EXPECT_EQ(ctx.at("time_wall_s"), "10.000");
  EXPECT_EQ(ctx.at("time_measuring_s"), "9.000");
  EXPECT_EQ(ctx.at("time_iteration_search_s"), "0.000");
  EXPECT_EQ(ctx.at("time_other_s"), "1.000");
  EXPECT_EQ(ctx.at("time_measuring_share"), "0.9000");
  EXPECT_EQ(ctx.at("time_testbed_downs_s"), "");
  EXPECT_EQ(ctx.size(), 4 + kSpentParts);
}

TEST(TimeLedger, TheBackendsPreparationIsItsOwnPartNotOther) {
  TimeLedger l;
  l.Add(Spent::kMeasuring, 90);
  l.Add(Spent::kPrepare, 1.5);
  const TimeBreakdown b = l.Breakdown(100);
  EXPECT_EQ(FormatBreakdown(b),
            "netbench: time: 100.0 s; measuring 90.0 s (90.0%); other 8.5 s (8.5%); "
            "backend preparation 1.5 s (1.5%)");
  std::map<std::string, std::string> ctx;
  for (const auto& [k, v] : BreakdownContext(b)) ctx[k] = v;
  EXPECT_EQ(ctx.at("time_prepare_s"), "1.500");
  EXPECT_EQ(ctx.at("time_other_s"), "8.500");
}

TEST(TimeLedger, EachTestbedTeardownIsKeptForItsMedian) {
  TimeLedger l;
  l.Add(Spent::kTestbedDown, 0.125);
  l.Add(Spent::kTestbedDown, 1.5);
  std::map<std::string, std::string> ctx;
  for (const auto& [k, v] : BreakdownContext(l.Breakdown(10))) ctx[k] = v;
  EXPECT_EQ(ctx.at("time_testbed_downs_s"), "0.1250,1.5000");
  EXPECT_EQ(ctx.at("time_testbed_down_s"), "1.625");
}

}  // namespace
}  // namespace netbench
