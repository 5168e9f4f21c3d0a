// Brings each driver's testbed up with real runc containers, checks connectivity through the
// agents, checks the plumbing against what `ip -j` and `nft` report, and that it all goes.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/case_name.h"
#include "fixtures/netns/address_plan.h"
#include "fixtures/netns/gc.h"
#include "fixtures/netns/testbed.h"
#include "tests/integration/testbed_checks.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

using nlohmann::json;
using testing::Sh;

json IpJson(const std::string& netns_path, const std::string& args) {
  auto r = Sh("nsenter --net=" + netns_path + " ip -j " + args);
  EXPECT_EQ(r.code, 0) << r.out;
  return json::parse(r.out.empty() ? "[]" : r.out);
}

json Link(const json& links, const std::string& name) {
  for (const auto& l : links)
    if (l.value("ifname", "") == name) return l;
  ADD_FAILURE() << "no link " << name << " in " << links.dump();
  return json::object();
}

std::string Kind(const json& link) {
  if (!link.contains("linkinfo")) return "";
  return link["linkinfo"].value("info_kind", "");
}

// The addresses (with prefix) `ip -j addr` shows on a link.
std::vector<std::string> Addrs(const json& addrs, const std::string& ifname) {
  std::vector<std::string> out;
  for (const auto& l : addrs)
    if (l.value("ifname", "") == ifname)
      for (const auto& a : l["addr_info"])
        out.push_back(a.value("local", "") + "/" + std::to_string(a.value("prefixlen", 0)));
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class TopologyTest : public testing::TestbedTest<::testing::TestWithParam<std::string>> {};

TEST_P(TopologyTest, ConnectsMatchesIpAndLeavesNothing) {
  const std::string driver = GetParam();
  {
    RunDirectory dir(ctx_.StateDir());
    auto bed = NetnsTestbed::Up(ctx_, TopologyKey{"runc", driver});
    const Topology& t = bed->topology();
    const AddressPlan& p = t.plan();

    // Connectivity through the real containers, both data paths.
    testing::ExpectBothPathsWork(*bed, 100, 4);

    // The wire between the hosts.
    json a_links = IpJson(t.host_a_netns_path(), "-d link show");
    json b_links = IpJson(t.host_b_netns_path(), "-d link show");
    EXPECT_EQ(Kind(Link(a_links, "nbwire")), "veth");
    EXPECT_EQ(Kind(Link(b_links, "nbwire")), "veth");
    EXPECT_TRUE(Has(Addrs(IpJson(t.host_a_netns_path(), "addr show"), "nbwire"), p.wire_a));
    EXPECT_TRUE(Has(Addrs(IpJson(t.host_b_netns_path(), "addr show"), "nbwire"), p.wire_b));

    // The server container: eth0 of the driver's kind with the planned address.
    json s_links = IpJson(t.server_netns_path(), "-d link show");
    json s_eth0 = Link(s_links, "eth0");
    EXPECT_EQ(s_eth0.value("mtu", 0), static_cast<int>(p.container_mtu));
    EXPECT_TRUE(Has(Addrs(IpJson(t.server_netns_path(), "addr show"), "eth0"), p.server));
    if (driver == "macvlan") {
      EXPECT_EQ(Kind(s_eth0), "macvlan");
      EXPECT_EQ(s_eth0["linkinfo"]["info_data"].value("mode", ""), "bridge");
    } else {
      EXPECT_EQ(Kind(s_eth0), "veth");
      json master = Link(b_links, "nbv-s");
      EXPECT_EQ(master.value("master", ""), "nbbr0");
      EXPECT_EQ(Kind(Link(b_links, "nbbr0")), "bridge");
    }
    if (driver == "overlay") {
      json vx = Link(b_links, "nbvx0");
      EXPECT_EQ(Kind(vx), "vxlan");
      EXPECT_EQ(vx["linkinfo"]["info_data"].value("id", 0), static_cast<int>(p.vni));
      EXPECT_EQ(vx["linkinfo"]["info_data"].value("remote", ""), HostPart(p.wire_a));
      EXPECT_EQ(vx.value("master", ""), "nbbr0");
    }
    if (driver == "bridge" || driver == "host") {
      json routes = IpJson(t.server_netns_path(), "route show default");
      ASSERT_EQ(routes.size(), 1u) << routes.dump();
      EXPECT_EQ(routes[0].value("gateway", ""), p.server_gw);
      auto nft = Sh("nsenter --net=" + t.host_b_netns_path() + " nft list ruleset");
      EXPECT_NE(nft.out.find("dnat to " + HostPart(p.server)), std::string::npos) << nft.out;
    }
    // The client: host A's own stack on the host driver, else its own namespace.
    if (driver == "host") {
      EXPECT_EQ(t.client_netns_path(), t.host_a_netns_path());
    } else {
      EXPECT_TRUE(Has(Addrs(IpJson(t.client_netns_path(), "addr show"), "eth0"), p.client));
    }
    // IPv6 is off everywhere netbench made a namespace.
    for (const auto& ns : t.NamespaceNames()) {
      auto v6 = Sh("ip -n " + ns + " -6 -o addr show");
      EXPECT_EQ(v6.out, "") << ns;
      auto sysctl = Sh("ip netns exec " + ns + " sysctl -n net.ipv6.conf.all.disable_ipv6");
      EXPECT_EQ(sysctl.out, "1\n") << ns;
    }
    // Every address netbench assigned is in 198.18.0.0/15.
    for (const auto& ns : t.NamespaceNames()) {
      json addrs = json::parse(Sh("ip -n " + ns + " -j -4 addr show").out);
      for (const auto& l : addrs)
        for (const auto& a : l["addr_info"]) {
          std::string ip = a.value("local", "");
          if (ip != "127.0.0.1") {
            EXPECT_TRUE(InBenchmarkRange(ip)) << ns << " " << ip;
          }
        }
    }
  }
  GcReport r = CollectGarbage("runc", ctx_.run_id);  // must find nothing left
  EXPECT_TRUE(r.removed.empty()) << testing::Join(r.removed);
  ExpectNothingLeft();
}

INSTANTIATE_TEST_SUITE_P(Drivers, TopologyTest,
                         ::testing::Values("bridge", "host", "macvlan", "overlay"));

}  // namespace
}  // namespace netbench
