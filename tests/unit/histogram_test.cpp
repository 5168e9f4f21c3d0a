#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace netbench {
namespace {

TEST(Histogram, BucketsCoverEveryValueWithoutGaps) {
  for (size_t i = 0; i + 1 < 256 + 40 * 128; ++i) {
    ASSERT_EQ(LogLinearHistogram::BucketHigh(i) + 1, LogLinearHistogram::BucketLow(i + 1)) << i;
  }
  for (uint64_t v :
       {0ULL, 1ULL, 255ULL, 256ULL, 257ULL, 1000ULL, 13'500ULL, 1'000'000'007ULL, ~0ULL}) {
    size_t i = LogLinearHistogram::BucketIndex(v);
    EXPECT_LE(LogLinearHistogram::BucketLow(i), v);
    EXPECT_GE(LogLinearHistogram::BucketHigh(i), v);
  }
}

TEST(Histogram, RelativeErrorUnderOnePercent) {
  for (uint64_t v = 256; v < 100'000'000; v = v * 3 / 2 + 7) {
    size_t i = LogLinearHistogram::BucketIndex(v);
    double width = static_cast<double>(LogLinearHistogram::BucketHigh(i) -
                                       LogLinearHistogram::BucketLow(i) + 1);
    EXPECT_LT(width / static_cast<double>(v), 0.008) << v;
  }
}

TEST(Histogram, ExactBelow256) {
  LogLinearHistogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.Quantile(0.5), 50u);
  EXPECT_EQ(h.Quantile(0.9), 90u);
  EXPECT_EQ(h.Quantile(0.99), 99u);
  EXPECT_EQ(h.Quantile(1.0), 100u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, QuantilesMatchSortedSamplesWithinBucketError) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> d(9.5, 0.6);  // ~13 us median, long tail
  std::vector<uint64_t> v(200'000);
  LogLinearHistogram h;
  for (auto& x : v) {
    x = static_cast<uint64_t>(d(rng));
    h.Record(x);
  }
  std::sort(v.begin(), v.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    uint64_t exact = v[static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1];
    double got = static_cast<double>(h.Quantile(q));
    EXPECT_NEAR(got / static_cast<double>(exact), 1.0, 0.008) << q;
  }
  EXPECT_EQ(h.Quantile(1.0), v.back());
  EXPECT_EQ(h.max(), v.back());
  EXPECT_EQ(h.count(), v.size());
}

TEST(Histogram, EmptyIsZero) {
  LogLinearHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Quantile(0.5), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

}  // namespace
}  // namespace netbench
