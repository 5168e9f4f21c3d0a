#pragma once
// A log-linear histogram of nanosecond samples: exact below 256 ns, then 128 linear buckets
// per power of two (relative error under 0.8%), like HdrHistogram with 2 significant digits.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace netbench {

class LogLinearHistogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr size_t kSubBuckets = size_t{1} << kSubBits;  // 128

  void Record(uint64_t v);
  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }
  // The value below which a fraction q of the samples fall (q in [0, 1]): the midpoint of the
  // bucket holding that sample, clamped to [min, max]. Quantile(1) is the exact maximum.
  uint64_t Quantile(double q) const;

  static size_t BucketIndex(uint64_t v);
  static uint64_t BucketLow(size_t index);
  static uint64_t BucketHigh(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  uint64_t sum_ = 0;  // 2^64 ns is 584 years of samples
};

}  // namespace netbench
