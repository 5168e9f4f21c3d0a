#include <gtest/gtest.h>

#include "agent/stress.h"

namespace netbench::agent {
namespace {

TEST(StressParse, ReadsCpuBogoOps) {
  const std::string out =
      "stress-ng: info:  [12] setting to a 0 second run per stressor\n"
      "stress-ng: info:  [12] dispatching hogs: 1 cpu\n"
      "stress-ng: info:  [12] stressor       bogo ops real time  usr time  sys time   bogo ops/s\n"
      "stress-ng: info:  [12]                           (secs)    (secs)    (secs)   (real time)\n"
      "stress-ng: info:  [12] cpu               12345      5.00      4.98      0.00      2469.00\n";
  uint64_t ops = 0;
  ASSERT_TRUE(ParseStressNgBogoOps(out, &ops));
  EXPECT_EQ(ops, 12345u);
  EXPECT_FALSE(ParseStressNgBogoOps("stress-ng: error: nothing\n", &ops));
}

}  // namespace
}  // namespace netbench::agent
