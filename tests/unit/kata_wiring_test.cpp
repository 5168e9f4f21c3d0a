// Kata's tcfilter wiring rules (fixtures/netns/kata/kata_wiring.h) on devices described by
// hand, as netns::ReadIngressTc would read them back: no kernel, no root. Every broken case
// breaks one direction only and expects exactly the line naming it (the other direction
// stays quiet). tests/integration/tc_test.cpp builds the same cases in a real namespace.

#include "fixtures/netns/kata/kata_wiring.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures/netns/topology.h"
#include "netns/tc_inspect.h"

namespace netbench {
namespace {

using netns::DeviceTc;
using netns::MirredFilter;
using Lines = std::vector<std::string>;

constexpr int kEthIndex = 2;
constexpr int kTapIndex = 5;

// Kata's filter towards `to`: u32, protocol all, match u32 0 0 terminal, one action mirred
// egress redirect to `to`, verdict stolen, at the priority and handle the kernel picks.
MirredFilter KataFilter(const std::string& to, int to_ifindex) {
  MirredFilter f;
  f.kind = "u32";
  f.protocol = "all";
  f.priority = 49152;
  f.handle = "800::800";
  f.match_all = true;
  f.terminal = true;
  f.action_count = 1;
  f.action = "mirred";
  f.mirred = "egress redirect";
  f.target = to;
  f.target_ifindex = to_ifindex;
  f.verdict = "stolen";
  return f;
}

DeviceTc Wired(const std::string& name, int ifindex, const std::string& to, int to_ifindex) {
  DeviceTc d;
  d.name = name;
  d.ifindex = ifindex;
  d.ingress_qdisc = true;
  d.qdisc_kind = "ingress";
  d.qdisc_handle = "ffff:";
  d.qdisc_parent = "ffff:fff1";
  d.filters = {KataFilter(to, to_ifindex)};
  return d;
}

DeviceTc Eth() { return Wired(kContainerIf, kEthIndex, kKataTap, kTapIndex); }
DeviceTc Tap() { return Wired(kKataTap, kTapIndex, kContainerIf, kEthIndex); }

// Kata's wiring with tap0_kata's one filter changed by `change`.
template <typename Change>
KataWiringReport WithTapFilter(Change change) {
  DeviceTc tap = Tap();
  change(tap.filters[0]);
  return CheckKataWiring(Eth(), tap);
}

// The line for tap0_kata's filter when it deviates from Kata's.
Lines TapFilter(const std::string& deviations) {
  return {"tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on tap0_kata's ingress: " +
          deviations};
}

TEST(KataWiring, AcceptsKataWiringExactlyBothWays) {
  KataWiringReport r = CheckKataWiring(Eth(), Tap());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.missing, Lines{});
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_EQ(r.devices[0].name, "eth0");
  EXPECT_EQ(r.devices[1].name, "tap0_kata");
}

TEST(KataWiring, ReportsTheDevicesItWasGivenEthThenTap) {
  DeviceTc eth = Eth();
  DeviceTc tap = Tap();
  tap.filters[0].priority = 3;
  KataWiringReport r = CheckKataWiring(eth, tap);
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_EQ(r.devices[0].ifindex, kEthIndex);
  EXPECT_EQ(r.devices[1].ifindex, kTapIndex);
  EXPECT_EQ(r.devices[1].filters[0].priority, 3u);
}

TEST(KataWiring, AcceptsAnyPriorityAndHandle) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) {
    f.priority = 1;
    f.handle = "801::801";
  });
  EXPECT_TRUE(r.ok()) << ToText(r);
}

TEST(KataWiring, RejectsAVerdictOtherThanStolen) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) { f.verdict = "pipe"; });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.missing, Lines{"tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on "
                             "tap0_kata's ingress: verdict pipe, not stolen"});
}

TEST(KataWiring, RejectsAMirrorInsteadOfARedirect) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) {
    f.mirred = "egress mirror";
    f.verdict = "pipe";  // what tc gives a mirror
  });
  EXPECT_EQ(r.missing, TapFilter("mirred egress mirror, not egress redirect; "
                                 "verdict pipe, not stolen"));
}

TEST(KataWiring, RejectsAnIngressRedirect) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) { f.mirred = "ingress redirect"; });
  EXPECT_EQ(r.missing, TapFilter("mirred ingress redirect, not egress redirect"));
}

TEST(KataWiring, RejectsAProtocolOtherThanAll) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) { f.protocol = "ip"; });
  EXPECT_EQ(r.missing, TapFilter("protocol ip, not all"));
}

TEST(KataWiring, RejectsAU32FilterThatDoesNotMatchEverything) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) { f.match_all = false; });
  EXPECT_EQ(r.missing, TapFilter("match is not `u32 0 0`"));
}

TEST(KataWiring, RejectsAU32SelectorThatIsNotTerminal) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) { f.terminal = false; });
  EXPECT_EQ(r.missing, TapFilter("selector not terminal"));
}

TEST(KataWiring, RejectsAClassifierOtherThanU32WithoutJudgingU32Keys) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) {
    f.kind = "matchall";
    f.handle = "0x1";
    f.match_all = false;
    f.terminal = false;
  });
  EXPECT_EQ(r.missing, Lines{"tap0_kata -> eth0: filter matchall pref 49152 fh 0x1 on "
                             "tap0_kata's ingress: kind matchall, not u32"});
}

TEST(KataWiring, RejectsExtraActionsAfterTheRedirect) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) { f.action_count = 2; });
  EXPECT_EQ(r.missing, TapFilter("2 actions, not 1"));
}

TEST(KataWiring, RejectsAFilterWithoutActionAndSaysOnlyThat) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) {
    f.action_count = 0;
    f.action = f.mirred = f.target = f.verdict = "";
    f.target_ifindex = 0;
  });
  EXPECT_EQ(r.missing, TapFilter("no action"));
}

TEST(KataWiring, RejectsAnActionOtherThanMirredAndSaysOnlyThat) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) {
    f.action = "gact";
    f.mirred = f.target = "";
    f.target_ifindex = 0;
    f.verdict = "drop";
  });
  EXPECT_EQ(r.missing, TapFilter("action gact, not mirred"));
}

TEST(KataWiring, RejectsARedirectToAnythingButTheOtherDevice) {
  struct Target {
    const char* name;  // "" where tc prints "*"
    int ifindex;
    const char* says;
  };
  for (const Target& t : {Target{"peer0", 7, "target peer0, not eth0"},
                          Target{"", 0, "target none (device gone), not eth0"},
                          Target{"", 42, "target ifindex 42 (no such device), not eth0"}}) {
    KataWiringReport r = WithTapFilter([&](MirredFilter& f) {
      f.target = t.name;
      f.target_ifindex = t.ifindex;
    });
    EXPECT_EQ(r.missing, TapFilter(t.says));
  }
}

TEST(KataWiring, ListsEveryDeviationOfOneFilterOnOneLine) {
  KataWiringReport r = WithTapFilter([](MirredFilter& f) {
    f.protocol = "ipv6";
    f.terminal = false;
    f.verdict = "pass";
  });
  EXPECT_EQ(r.missing,
            TapFilter("protocol ipv6, not all; selector not terminal; verdict pass, not stolen"));
}

TEST(KataWiring, RejectsADeviceWithoutFilters) {
  DeviceTc tap = Tap();
  tap.filters.clear();
  KataWiringReport r = CheckKataWiring(Eth(), tap);
  EXPECT_EQ(r.missing,
            Lines{"tap0_kata -> eth0: no mirred egress redirect filter on tap0_kata's ingress"});
}

TEST(KataWiring, RejectsAMissingIngressQdisc) {
  DeviceTc tap = Tap();
  tap.ingress_qdisc = false;
  tap.qdisc_kind = tap.qdisc_handle = tap.qdisc_parent = "";
  tap.filters.clear();
  KataWiringReport r = CheckKataWiring(Eth(), tap);
  EXPECT_EQ(r.missing, Lines{"tap0_kata -> eth0: no ingress qdisc on tap0_kata"});
}

TEST(KataWiring, RejectsMissingIngressQdiscsOnBothDevices) {
  DeviceTc eth = Eth();
  DeviceTc tap = Tap();
  for (DeviceTc* d : {&eth, &tap}) {
    d->ingress_qdisc = false;
    d->qdisc_kind = d->qdisc_handle = d->qdisc_parent = "";
    d->filters.clear();
  }
  KataWiringReport r = CheckKataWiring(eth, tap);
  EXPECT_EQ(r.missing, (Lines{"eth0 -> tap0_kata: no ingress qdisc on eth0",
                              "tap0_kata -> eth0: no ingress qdisc on tap0_kata"}));
}

TEST(KataWiring, RejectsClsactInPlaceOfTheIngressQdiscEvenWithKatasFilter) {
  DeviceTc eth = Eth();
  eth.ingress_qdisc = false;
  eth.qdisc_kind = "clsact";
  KataWiringReport r = CheckKataWiring(eth, Tap());
  EXPECT_EQ(r.missing,
            Lines{"eth0 -> tap0_kata: no ingress qdisc on eth0 (found clsact ffff: instead)"});
}

TEST(KataWiring, NamesAMissingTapInBothDirections) {
  DeviceTc eth = Eth();
  eth.filters[0].target = "";  // the redirect's target went with the TAP
  eth.filters[0].target_ifindex = 0;
  DeviceTc tap;
  tap.name = kKataTap;  // ifindex 0: no such device
  KataWiringReport r = CheckKataWiring(eth, tap);
  EXPECT_EQ(r.missing, (Lines{"eth0 -> tap0_kata: no device tap0_kata",
                              "tap0_kata -> eth0: no device tap0_kata"}));
}

TEST(KataWiring, NamesAMissingContainerInterfaceInBothDirections) {
  DeviceTc eth;
  eth.name = kContainerIf;
  KataWiringReport r = CheckKataWiring(eth, Tap());
  EXPECT_EQ(r.missing,
            (Lines{"eth0 -> tap0_kata: no device eth0", "tap0_kata -> eth0: no device eth0"}));
}

TEST(KataWiring, RejectsAnotherFilterBesidesKatasAndNamesIt) {
  DeviceTc eth = Eth();
  MirredFilter mirror = KataFilter("peer0", 9);
  mirror.priority = 7;
  mirror.protocol = "ip";
  mirror.mirred = "egress mirror";
  mirror.verdict = "pipe";
  eth.filters.insert(eth.filters.begin(), mirror);  // priority order: 7 first
  KataWiringReport r = CheckKataWiring(eth, Tap());
  EXPECT_EQ(r.missing, Lines{"eth0 -> tap0_kata: 1 filter(s) on eth0's ingress besides Kata's: "
                             "u32 pref 7 fh 800::800"});
}

TEST(KataWiring, RejectsADuplicateOfKatasFilter) {
  DeviceTc eth = Eth();
  MirredFilter again = eth.filters[0];
  again.priority = 49153;
  again.handle = "801::800";
  eth.filters.push_back(again);
  KataWiringReport r = CheckKataWiring(eth, Tap());
  EXPECT_EQ(r.missing, Lines{"eth0 -> tap0_kata: 1 filter(s) on eth0's ingress besides Kata's: "
                             "u32 pref 49153 fh 801::800"});
}

TEST(KataWiring, NamesEachFilterWhenNoneIsKatas) {
  DeviceTc tap = Tap();
  tap.filters[0].verdict = "pipe";
  MirredFilter second = KataFilter(kContainerIf, kEthIndex);
  second.priority = 49153;
  second.handle = "801::800";
  second.protocol = "arp";
  tap.filters.push_back(second);
  KataWiringReport r = CheckKataWiring(Eth(), tap);
  EXPECT_EQ(r.missing, (Lines{"tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on "
                              "tap0_kata's ingress: verdict pipe, not stolen",
                              "tap0_kata -> eth0: filter u32 pref 49153 fh 801::800 on "
                              "tap0_kata's ingress: protocol arp, not all"}));
}

TEST(KataWiringJson, HoldsOkTheDevicesAndWhatIsMissing) {
  DeviceTc tap = Tap();
  tap.filters.clear();
  KataWiringReport r = CheckKataWiring(Eth(), tap);
  nlohmann::json j = ToJson(r);
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["missing"], nlohmann::json(r.missing));
  ASSERT_EQ(j["devices"].size(), 2u);
  EXPECT_EQ(j["devices"][0], netns::ToJson(r.devices[0]));
  EXPECT_EQ(j["devices"][1], netns::ToJson(r.devices[1]));
  EXPECT_TRUE(ToJson(CheckKataWiring(Eth(), Tap()))["ok"].get<bool>());
  EXPECT_TRUE(ToJson(CheckKataWiring(Eth(), Tap()))["missing"].empty());
}

TEST(DeviceTcJson, KeysAreTheStructFields) {
  nlohmann::json d = netns::ToJson(Eth());
  EXPECT_EQ(d["name"], "eth0");
  EXPECT_EQ(d["ifindex"], kEthIndex);
  EXPECT_EQ(d["ingress_qdisc"], true);
  EXPECT_EQ(d["qdisc_kind"], "ingress");
  EXPECT_EQ(d["qdisc_handle"], "ffff:");
  EXPECT_EQ(d["qdisc_parent"], "ffff:fff1");
  ASSERT_EQ(d["filters"].size(), 1u);
  const nlohmann::json& f = d["filters"][0];
  EXPECT_EQ(f["kind"], "u32");
  EXPECT_EQ(f["protocol"], "all");
  EXPECT_EQ(f["priority"], 49152);
  EXPECT_EQ(f["handle"], "800::800");
  EXPECT_EQ(f["match_all"], true);
  EXPECT_EQ(f["terminal"], true);
  EXPECT_EQ(f["action_count"], 1);
  EXPECT_EQ(f["action"], "mirred");
  EXPECT_EQ(f["mirred"], "egress redirect");
  EXPECT_EQ(f["target"], "tap0_kata");
  EXPECT_EQ(f["target_ifindex"], kTapIndex);
  EXPECT_EQ(f["verdict"], "stolen");
}

TEST(KataWiringText, ShowsEachDeviceThenOk) {
  EXPECT_EQ(ToText(CheckKataWiring(Eth(), Tap())),
            "eth0 (ifindex 2): qdisc ingress ffff: parent ffff:fff1\n"
            "  filter u32 pref 49152 fh 800::800 protocol all match u32 0 0 terminal: action "
            "mirred egress redirect to tap0_kata (ifindex 5) stolen\n"
            "tap0_kata (ifindex 5): qdisc ingress ffff: parent ffff:fff1\n"
            "  filter u32 pref 49152 fh 800::800 protocol all match u32 0 0 terminal: action "
            "mirred egress redirect to eth0 (ifindex 2) stolen\n"
            "Kata tcfilter wiring: ok\n");
}

TEST(KataWiringText, ShowsWhatIsWrongAndEachMissingLine) {
  DeviceTc eth = Eth();
  eth.ingress_qdisc = false;
  eth.qdisc_kind = eth.qdisc_handle = eth.qdisc_parent = "";
  eth.filters.clear();
  DeviceTc tap = Tap();
  MirredFilter& f = tap.filters[0];
  f.match_all = f.terminal = false;
  f.target = "";
  f.target_ifindex = 0;
  f.action_count = 3;
  EXPECT_EQ(ToText(CheckKataWiring(eth, tap)),
            "eth0 (ifindex 2): no ingress qdisc\n"
            "tap0_kata (ifindex 5): qdisc ingress ffff: parent ffff:fff1\n"
            "  filter u32 pref 49152 fh 800::800 protocol all match (other keys): action mirred "
            "egress redirect to * (ifindex 0) stolen (+2 more)\n"
            "Kata tcfilter wiring: not as Kata wires it\n"
            "  eth0 -> tap0_kata: no ingress qdisc on eth0\n"
            "  tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on tap0_kata's ingress: "
            "match is not `u32 0 0`; selector not terminal; 3 actions, not 1; "
            "target none (device gone), not eth0\n");
}

TEST(KataWiringText, SaysWhichDeviceDoesNotExist) {
  DeviceTc tap;
  tap.name = kKataTap;
  const std::string text = ToText(CheckKataWiring(Eth(), tap));
  EXPECT_NE(text.find("\ntap0_kata: no such device\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  tap0_kata -> eth0: no device tap0_kata\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace netbench
