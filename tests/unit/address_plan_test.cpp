#include "fixtures/netns/address_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "common/case_name.h"
#include "common/errors.h"

namespace netbench {
namespace {

const std::vector<std::string> kDrivers = {"bridge", "host", "macvlan", "overlay"};

TEST(AddressPlan, EveryAddressIsInTheBenchmarkingRange) {
  for (const auto& d : kDrivers) {
    AddressPlan p = PlanFor(d);
    for (const auto& a : p.AssignedAddresses()) EXPECT_TRUE(InBenchmarkRange(a)) << d << " " << a;
    EXPECT_TRUE(InBenchmarkRange(p.target_ip)) << d;
    if (!p.client_gw.empty()) {
      EXPECT_TRUE(InBenchmarkRange(p.client_gw));
    }
    if (!p.server_gw.empty()) {
      EXPECT_TRUE(InBenchmarkRange(p.server_gw));
    }
  }
}

TEST(AddressPlan, NoDuplicates) {
  for (const auto& d : kDrivers) {
    auto v = PlanFor(d).AssignedAddresses();
    std::set<std::string> s(v.begin(), v.end());
    EXPECT_EQ(s.size(), v.size()) << d;
  }
}

TEST(AddressPlan, DriversTargetWhatDockerWould) {
  EXPECT_EQ(PlanFor("bridge").target_ip, "198.18.0.2");  // published port on host B
  EXPECT_EQ(PlanFor("host").target_ip, "198.18.0.2");
  EXPECT_TRUE(PlanFor("host").client.empty());  // the client uses host A's stack
  EXPECT_EQ(PlanFor("macvlan").target_ip, HostPart(PlanFor("macvlan").server));
  EXPECT_EQ(PlanFor("overlay").target_ip, HostPart(PlanFor("overlay").server));
  EXPECT_EQ(PlanFor("overlay").container_mtu, 1450u);
  EXPECT_NE(PlanFor("overlay").vni, 0u);
}

TEST(AddressPlan, RangeCheck) {
  EXPECT_TRUE(InBenchmarkRange("198.18.0.1"));
  EXPECT_TRUE(InBenchmarkRange("198.19.255.254/24"));
  EXPECT_FALSE(InBenchmarkRange("198.20.0.1"));
  EXPECT_FALSE(InBenchmarkRange("198.17.255.255"));
  EXPECT_FALSE(InBenchmarkRange("10.0.0.1"));
  EXPECT_FALSE(InBenchmarkRange("not an address"));
  EXPECT_EQ(ParseIpv4("198.18.0.2"), 0xc6120002u);
  EXPECT_THROW(ParseIpv4("198.18.0"), UsageError);
  EXPECT_THROW(PlanFor("ipvlan"), UsageError);
}

}  // namespace
}  // namespace netbench
