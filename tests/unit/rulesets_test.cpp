#include <gtest/gtest.h>

#include "fixtures/netns/topology.h"

namespace netbench {
namespace {

TEST(Rulesets, PublishDnatsThePortRangeToTheServer) {
  std::string r = PublishRuleset(PlanFor("bridge"));
  EXPECT_NE(r.find("table ip nb_nat"), std::string::npos);
  EXPECT_NE(r.find("hook prerouting priority dstnat"), std::string::npos);
  EXPECT_NE(
      r.find("ip daddr 198.18.0.2 meta l4proto { tcp, udp } th dport 7000-7031 dnat to 198.18.2.2"),
      std::string::npos);
}

TEST(Rulesets, MasqueradeCoversTheClientBridgeOnTheWire) {
  std::string r = MasqueradeRuleset(PlanFor("bridge"));
  EXPECT_NE(r.find("ip saddr 198.18.1.0/24 oifname \"nbwire\" masquerade"), std::string::npos);
}

}  // namespace
}  // namespace netbench
