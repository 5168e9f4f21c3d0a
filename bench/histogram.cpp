#include "bench/histogram.h"

#include <algorithm>
#include <cmath>

namespace netbench {
namespace {
constexpr size_t kLinearLimit = LogLinearHistogram::kSubBuckets * 2;  // 256: exact buckets
}

size_t LogLinearHistogram::BucketIndex(uint64_t v) {
  if (v < kLinearLimit) return static_cast<size_t>(v);
  const int msb = 63 - __builtin_clzll(v);
  const int shift = msb - kSubBits;      // >= 1
  const uint64_t mantissa = v >> shift;  // in [128, 255]
  return kLinearLimit + static_cast<size_t>(shift - 1) * kSubBuckets +
         static_cast<size_t>(mantissa - kSubBuckets);
}

uint64_t LogLinearHistogram::BucketLow(size_t index) {
  if (index < kLinearLimit) return index;
  const size_t j = index - kLinearLimit;
  const int shift = static_cast<int>(j / kSubBuckets) + 1;
  const uint64_t mantissa = kSubBuckets + j % kSubBuckets;
  return mantissa << shift;
}

uint64_t LogLinearHistogram::BucketHigh(size_t index) {
  if (index < kLinearLimit) return index;
  const size_t j = index - kLinearLimit;
  const int shift = static_cast<int>(j / kSubBuckets) + 1;
  const uint64_t mantissa = kSubBuckets + j % kSubBuckets;
  return ((mantissa + 1) << shift) - 1;
}

void LogLinearHistogram::Record(uint64_t v) {
  const size_t i = BucketIndex(v);
  if (i >= counts_.size()) counts_.resize(i + 1, 0);
  ++counts_[i];
  ++count_;
  sum_ += v;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
}

uint64_t LogLinearHistogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  q = std::max(q, 0.0);
  const uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const uint64_t mid = BucketLow(i) + (BucketHigh(i) - BucketLow(i)) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace netbench
