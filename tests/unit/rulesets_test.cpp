#include <gtest/gtest.h>

#include "fixtures/netns/stray_traffic.h"
#include "fixtures/netns/topology.h"
#include "netns/nft.h"

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

TEST(Rulesets, StrayCountersSeeEveryPacketInAndOutOfANamespaceAndChangeNoVerdict) {
  const std::string r = StrayRuleset();
  EXPECT_NE(r.find("table inet nb_stray"), std::string::npos);
  EXPECT_NE(r.find("hook prerouting priority raw; policy accept;"), std::string::npos);
  EXPECT_NE(r.find("hook output priority raw; policy accept;"), std::string::npos);
  EXPECT_NE(r.find("ip saddr != { 198.18.0.0/15, 127.0.0.0/8 } counter name stray return"),
            std::string::npos);
  EXPECT_NE(r.find("ip daddr != { 198.18.0.0/15, 127.0.0.0/8 } counter name stray return"),
            std::string::npos);
  EXPECT_NE(r.find("meta nfproto ipv6 counter name stray"), std::string::npos);
  EXPECT_EQ(r.find("drop"), std::string::npos);
  EXPECT_EQ(r.find("accept\n"), std::string::npos);  // no verdict but the policy's
}

TEST(Rulesets, TheWireCounterHooksIngressOfTheWireDevice) {
  const std::string r = StrayWireRuleset("nbwire");
  EXPECT_NE(r.find("table netdev nb_stray_wire"), std::string::npos);
  EXPECT_NE(r.find("hook ingress device \"nbwire\""), std::string::npos);
  EXPECT_NE(r.find("meta protocol ip6 counter name stray"), std::string::npos);
}

TEST(Rulesets, CounterPacketsAddsEveryNamedCounterOfNftsJson) {
  EXPECT_EQ(netns::CounterPackets(
                R"({"nftables": [{"metainfo": {"json_schema_version": 1}},
                   {"counter": {"family": "inet", "name": "stray", "table": "nb_stray",
                                "packets": 3, "bytes": 180}},
                   {"counter": {"family": "netdev", "name": "stray", "table": "nb_stray_wire",
                                "packets": 2, "bytes": 120}}]})"),
            5u);
  EXPECT_EQ(netns::CounterPackets(R"({"nftables": [{"metainfo": {}}]})"), 0u);
  EXPECT_EQ(netns::CounterPackets("not json"), 0u);
}

}  // namespace
}  // namespace netbench
