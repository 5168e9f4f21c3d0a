// Builds Kata's "tcfilter" wiring (netns/tc.h) in a scratch namespace through libnl, reads it
// back with ReadIngressTc (netns/tc_inspect.h) through InspectKataWiring
// (fixtures/netns/kata/kata_wiring.h), and checks what was read against what `tc -j` says
// about the same devices; then breaks the wiring in several ways and checks that the report
// names the broken direction and only that one (the rules alone, without a kernel, are in
// tests/unit/kata_wiring_test.cpp).
//
// What `tc -j` (iproute2 6.1.0) prints for Kata's wiring, and the report field each maps to:
//
//   tc -j qdisc show dev eth0
//     [{"kind":"ingress","handle":"ffff:","parent":"ffff:fff1","options":{}}]
//     kind -> qdisc_kind (ingress_qdisc when "ingress"), handle -> qdisc_handle,
//     parent -> qdisc_parent.
//
//   tc -j filter show dev eth0 ingress: three entries per u32 filter, each with
//     "parent":"ffff:", "protocol":"all", "pref":49152, "kind":"u32", "chain":0:
//     1. the classifier instance itself: no "options";
//     2. its hash table: "options":{"fh":"800:","ht_divisor":1};
//     3. the rule: "options":{"fh":"800::800","order":2048,"key_ht":"800","bkt":"0",
//          "not_in_hw":true,"match":{"value":"0","mask":"0","offmask":"","off":0},
//          "actions":[{"order":1,"kind":"mirred","mirred_action":"redirect",
//            "direction":"egress","to_dev":"tap0_kata","control_action":{"type":"stolen"},
//            "index":1,"ref":1,"bind":1}]}
//     Only the rule (3) is a report filter:
//       kind -> kind; protocol -> protocol; pref -> priority; options.fh -> handle;
//       options.match {value "0", mask "0", off 0} -> match_all (value/mask are bare hex);
//       options.actions size -> action_count; actions[0].kind -> action;
//       actions[0].direction + " " + actions[0].mirred_action -> mirred ("egress redirect");
//       actions[0].to_dev -> target (tc prints "*" for a device that is gone: target "",
//       target_ifindex 0); actions[0].control_action.type -> verdict ("stolen", "pipe").
//     The u32 terminal flag is not in tc's JSON at all; the text output shows it as
//     "terminal flowid ???" (6.1 prints "terminal flowid ") on a rule without a classid, and
//     that is what `terminal` is checked against. With a classid, iproute2 5.18-6.1 print
//     "*flowid X" when the rule IS terminal (upstream later inverted it to mean "not
//     terminal", its original meaning), so rules with a "flowid" key are left out.

#include "netns/tc.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_mirred.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/tc.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/subprocess.h"
#include "fixtures/netns/kata/kata_wiring.h"
#include "fixtures/netns/topology.h"
#include "netns/links.h"
#include "netns/netns.h"
#include "netns/nl_socket.h"
#include "netns/tc_inspect.h"

namespace netbench::netns {
namespace {

using nlohmann::json;

constexpr const char* kEth = kContainerIf;
constexpr char kPeer[] = "peer0";
constexpr const char* kTap = kKataTap;

// Opens /dev/net/tun inside the namespace and attaches to (or creates) the TAP `name` with
// Kata's flags; the caller owns the fd.
int OpenTap(int netns_fd, const std::string& name) {
  NetnsScope in(netns_fd);
  int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) ThrowErrno("open /dev/net/tun");
  ifreq ifr{};
  ifr.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd, TUNSETIFF, &ifr) != 0) {
    int e = errno;
    ::close(fd);
    errno = e;
    ThrowErrno("TUNSETIFF " + name);
  }
  return fd;
}

// A persistent TAP like the one Kata makes (the production helper is netns/tap.h's).
void CreatePersistentTap(int netns_fd, const std::string& name) {
  int fd = OpenTap(netns_fd, name);
  int rc = ::ioctl(fd, TUNSETPERSIST, 1);
  int e = errno;
  ::close(fd);
  errno = e;
  if (rc != 0) ThrowErrno("TUNSETPERSIST " + name);
}

// Clearing the persist flag removes the TAP when the last fd closes.
void DeletePersistentTap(int netns_fd, const std::string& name) {
  int fd = OpenTap(netns_fd, name);
  (void)::ioctl(fd, TUNSETPERSIST, 0);
  ::close(fd);
}

struct ClsDeleter {
  void operator()(rtnl_cls* c) const { rtnl_cls_put(c); }
};
struct ActDeleter {
  void operator()(rtnl_act* a) const { rtnl_act_put(a); }
};

// Kata's filter with another verdict or without the terminal flag. tc cannot make either
// (iproute2 sets the terminal flag on every filter with an action, and its mirred parser
// takes a verdict only after "mirror": after "redirect" the word starts a second action,
// which needs act_gact, not built into this kernel), so build it through libnl like
// netns/tc.cpp does.
void AddRedirectByHand(NlSocket& s, const std::string& from, const std::string& to, int verdict,
                       bool terminal) {
  std::unique_ptr<rtnl_cls, ClsDeleter> c(rtnl_cls_alloc());
  rtnl_tc_set_ifindex(TC_CAST(c.get()), LinkIndex(s, from));
  rtnl_tc_set_parent(TC_CAST(c.get()), kIngressHandle);
  NlCheck(rtnl_tc_set_kind(TC_CAST(c.get()), "u32"), "u32");
  rtnl_cls_set_protocol(c.get(), ETH_P_ALL);
  if (terminal) NlCheck(rtnl_u32_set_cls_terminal(c.get()), "terminal");
  NlCheck(rtnl_u32_add_key(c.get(), 0, 0, 0, 0), "key");
  std::unique_ptr<rtnl_act, ActDeleter> a(rtnl_act_alloc());
  NlCheck(rtnl_tc_set_kind(TC_CAST(a.get()), "mirred"), "mirred");
  NlCheck(rtnl_mirred_set_action(a.get(), TCA_EGRESS_REDIR), "redirect");
  NlCheck(rtnl_mirred_set_ifindex(a.get(), static_cast<uint32_t>(LinkIndex(s, to))), "dev");
  NlCheck(rtnl_mirred_set_policy(a.get(), verdict), "verdict");
  NlCheck(rtnl_u32_add_action(c.get(), a.get()), "action");
  NlCheck(rtnl_cls_add(s.get(), c.get(), NLM_F_CREATE | NLM_F_EXCL), "add filter");
}

class TcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "integration tests run as root";
    ns_ = NamedNetns::Create("nbt-tc-" + std::to_string(::getpid()));
    sock_ = std::make_unique<NlSocket>(ns_.fd());
    CreateVeth(*sock_, kEth, kPeer, -1);
    CreatePersistentTap(ns_.fd(), kTap);
    tap_made_ = true;
    for (const char* l : {kEth, kPeer, kTap}) SetLinkUp(*sock_, l);
  }

  void TearDown() override {
    sock_.reset();
    if (tap_made_) DeletePersistentTap(ns_.fd(), kTap);
    ns_.Remove();
  }

  // `ip netns exec <ns> tc ...`; fails the test when tc does.
  std::string Tc(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"ip", "netns", "exec", ns_.name(), "tc"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult r = RunCommand(argv);
    EXPECT_TRUE(r.ok()) << ShellQuote(argv) << ": " << r.output;
    return r.output;
  }

  json TcJson(const std::vector<std::string>& args) {
    std::vector<std::string> a = {"-j"};
    a.insert(a.end(), args.begin(), args.end());
    std::string out = Tc(a);
    return json::parse(out.find_first_not_of(" \n") == std::string::npos ? "[]" : out);
  }

  // Checks one device of the report against `tc -j qdisc/filter show` and the terminal flag
  // against tc's text output.
  void ExpectMatchesTc(const json& dev) {
    const std::string name = dev["name"];
    SCOPED_TRACE("device " + name);
    json qdiscs = TcJson({"qdisc", "show", "dev", name});
    json ingress = json::object();
    for (const auto& q : qdiscs)
      if (q.value("parent", "") == "ffff:fff1") ingress = q;
    EXPECT_EQ(dev["ingress_qdisc"].get<bool>(), ingress.value("kind", "") == "ingress");
    EXPECT_EQ(dev["qdisc_kind"], ingress.value("kind", ""));
    EXPECT_EQ(dev["qdisc_handle"], ingress.value("handle", ""));
    EXPECT_EQ(dev["qdisc_parent"], ingress.value("parent", ""));
    if (!dev["ingress_qdisc"].get<bool>()) return;

    std::vector<json> rules;
    for (const auto& f : TcJson({"filter", "show", "dev", name, "ingress"})) {
      EXPECT_EQ(f.value("parent", ""), "ffff:");
      if (f.contains("options") && f["options"].contains("fh") &&
          !f["options"].contains("ht_divisor"))
        rules.push_back(f);
    }
    const json& filters = dev["filters"];
    ASSERT_EQ(filters.size(), rules.size()) << dev.dump() << "\n" << json(rules).dump();
    for (size_t i = 0; i < rules.size(); ++i) {
      const json& t = rules[i];
      const json& o = t["options"];
      const json& f = filters[i];
      SCOPED_TRACE("tc: " + t.dump() + "\nreport: " + f.dump());
      EXPECT_EQ(f["kind"], t["kind"]);
      EXPECT_EQ(f["protocol"], t["protocol"]);
      EXPECT_EQ(f["priority"], t["pref"]);
      EXPECT_EQ(f["handle"], o["fh"]);
      const json m = o.value("match", json::object());
      EXPECT_EQ(f["match_all"].get<bool>(), m.value("value", "") == "0" &&
                                                m.value("mask", "") == "0" &&
                                                m.value("off", -1) == 0);
      const json actions = o.value("actions", json::array());
      EXPECT_EQ(f["action_count"], actions.size());
      if (actions.empty()) continue;
      const json& a = actions[0];
      EXPECT_EQ(f["action"], a["kind"]);
      if (a["kind"] != "mirred") continue;
      EXPECT_EQ(f["mirred"], a.value("direction", "") + " " + a.value("mirred_action", ""));
      const std::string to_dev = a.value("to_dev", "");
      EXPECT_EQ(f["target"], to_dev == "*" ? "" : to_dev);
      EXPECT_EQ(f["target_ifindex"].get<int>() == 0, to_dev == "*");
      EXPECT_EQ(f["verdict"], a["control_action"]["type"]);
    }
    // The terminal flag: text only, one "terminal flowid" per terminal rule without a classid.
    std::string text = Tc({"filter", "show", "dev", name, "ingress"});
    size_t terminal_in_text = 0;
    for (size_t p = text.find("terminal flowid"); p != std::string::npos;
         p = text.find("terminal flowid", p + 1))
      ++terminal_in_text;
    size_t terminal_in_report = 0;
    for (size_t i = 0; i < rules.size(); ++i)
      if (!rules[i]["options"].contains("flowid") && filters[i]["terminal"].get<bool>())
        ++terminal_in_report;
    EXPECT_EQ(terminal_in_report, terminal_in_text) << text;
  }

  void ExpectMatchesTc(const KataWiringReport& r) {
    for (const DeviceTc& d : r.devices) ExpectMatchesTc(ToJson(d));
  }

  NamedNetns ns_;
  std::unique_ptr<NlSocket> sock_;
  bool tap_made_ = false;
};

bool Names(const KataWiringReport& r, const std::string& direction) {
  return std::any_of(r.missing.begin(), r.missing.end(),
                     [&](const std::string& m) { return m.rfind(direction + ": ", 0) == 0; });
}

std::string Missing(const KataWiringReport& r, const std::string& direction) {
  std::string out;
  for (const auto& m : r.missing)
    if (m.rfind(direction + ": ", 0) == 0) out += m + "\n";
  return out;
}

TEST_F(TcTest, KataWiringReadsBackAndMatchesTc) {
  WireKataTcFilter(*sock_, kEth, kTap);
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_TRUE(r.ok()) << ToText(r);
  ASSERT_EQ(r.devices.size(), 2u);
  const int eth_index = LinkIndex(*sock_, kEth);
  const int tap_index = LinkIndex(*sock_, kTap);
  for (const DeviceTc& d : r.devices) {
    SCOPED_TRACE(d.name);
    const bool eth = d.name == kEth;
    EXPECT_EQ(d.ifindex, eth ? eth_index : tap_index);
    EXPECT_TRUE(d.ingress_qdisc);
    EXPECT_EQ(d.qdisc_handle, "ffff:");
    EXPECT_EQ(d.qdisc_parent, "ffff:fff1");
    ASSERT_EQ(d.filters.size(), 1u);
    const MirredFilter& f = d.filters[0];
    EXPECT_EQ(f.kind, "u32");
    EXPECT_EQ(f.protocol, "all");
    EXPECT_EQ(f.priority, kKernelFirstPriority);
    EXPECT_EQ(f.handle, "800::800");
    EXPECT_TRUE(f.match_all);
    EXPECT_TRUE(f.terminal);
    EXPECT_EQ(f.action_count, 1);
    EXPECT_EQ(f.action, "mirred");
    EXPECT_EQ(f.mirred, "egress redirect");
    EXPECT_EQ(f.target, eth ? kTap : kEth);
    EXPECT_EQ(f.target_ifindex, eth ? tap_index : eth_index);
    EXPECT_EQ(f.verdict, "stolen");
  }
  ExpectMatchesTc(r);
  json j = ToJson(r);
  EXPECT_TRUE(j["ok"].get<bool>());
  EXPECT_TRUE(j["missing"].empty());
  EXPECT_NE(ToText(r).find("Kata tcfilter wiring: ok"), std::string::npos) << ToText(r);
}

TEST_F(TcTest, DeletedFilterIsReportedForItsDirectionOnly) {
  WireKataTcFilter(*sock_, kEth, kTap);
  Tc({"filter", "del", "dev", kTap, "ingress"});
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Names(r, "tap0_kata -> eth0")) << ToText(r);
  EXPECT_FALSE(Names(r, "eth0 -> tap0_kata")) << ToText(r);
  EXPECT_EQ(Missing(r, "tap0_kata -> eth0"),
            "tap0_kata -> eth0: no mirred egress redirect filter on tap0_kata's ingress\n");
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_TRUE(r.devices[1].filters.empty());
  EXPECT_TRUE(r.devices[1].ingress_qdisc);
  ExpectMatchesTc(r);
  EXPECT_FALSE(ToJson(r)["ok"].get<bool>());
}

TEST_F(TcTest, DeleteIngressFiltersRemovesEveryPriority) {
  WireKataTcFilter(*sock_, kEth, kTap);
  Tc({"filter", "add", "dev", kEth, "parent", "ffff:",  "protocol", "ip",     "prio", "7",  "u32",
      "match",  "u32", "0",   "0",  "action", "mirred", "egress",   "mirror", "dev",  kPeer});
  KataWiringReport before = InspectKataWiring(*sock_, kEth, kTap);
  ASSERT_EQ(before.devices[0].filters.size(), 2u) << ToText(before);
  EXPECT_EQ(before.devices[0].filters[0].priority, 7u);
  EXPECT_EQ(before.devices[0].filters[0].mirred, "egress mirror");
  EXPECT_TRUE(Names(before, "eth0 -> tap0_kata")) << ToText(before);  // an extra filter
  ExpectMatchesTc(before);

  EXPECT_EQ(DeleteIngressFilters(*sock_, kEth), 2);
  EXPECT_EQ(TcJson({"filter", "show", "dev", kEth, "ingress"}).size(), 0u);
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_EQ(Missing(r, "eth0 -> tap0_kata"),
            "eth0 -> tap0_kata: no mirred egress redirect filter on eth0's ingress\n");
  EXPECT_FALSE(Names(r, "tap0_kata -> eth0")) << ToText(r);
}

TEST_F(TcTest, AbsentQdiscsAreReportedBothWays) {
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_EQ(Missing(r, "eth0 -> tap0_kata"), "eth0 -> tap0_kata: no ingress qdisc on eth0\n");
  EXPECT_EQ(Missing(r, "tap0_kata -> eth0"), "tap0_kata -> eth0: no ingress qdisc on tap0_kata\n");
  ExpectMatchesTc(r);

  KataWiringReport gone = InspectKataWiring(*sock_, kEth, "tap9_absent");
  EXPECT_TRUE(Names(gone, "eth0 -> tap9_absent"));
  EXPECT_EQ(Missing(gone, "tap9_absent -> eth0"), "tap9_absent -> eth0: no device tap9_absent\n");
  const DeviceTc absent = ReadIngressTc(*sock_, "tap9_absent");
  EXPECT_EQ(absent.name, "tap9_absent");
  EXPECT_EQ(absent.ifindex, 0);
  EXPECT_TRUE(absent.qdisc_kind.empty());
  EXPECT_TRUE(absent.filters.empty());
}

TEST_F(TcTest, WrongVerdictIsReportedForItsDirectionOnly) {
  AddIngressQdisc(*sock_, kEth);
  AddIngressQdisc(*sock_, kTap);
  AddMirredRedirect(*sock_, kEth, kTap);
  AddRedirectByHand(*sock_, kTap, kEth, TC_ACT_PIPE, true);
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_FALSE(Names(r, "eth0 -> tap0_kata")) << ToText(r);
  EXPECT_EQ(Missing(r, "tap0_kata -> eth0"),
            "tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on tap0_kata's ingress: "
            "verdict pipe, not stolen\n");
  ExpectMatchesTc(r);
}

TEST_F(TcTest, MissingTerminalFlagIsReported) {
  AddIngressQdisc(*sock_, kEth);
  AddIngressQdisc(*sock_, kTap);
  AddMirredRedirect(*sock_, kEth, kTap);
  AddRedirectByHand(*sock_, kTap, kEth, TC_ACT_STOLEN, false);
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  ASSERT_EQ(r.devices[1].filters.size(), 1u);
  EXPECT_FALSE(r.devices[1].filters[0].terminal);
  EXPECT_TRUE(r.devices[1].filters[0].match_all);
  EXPECT_EQ(Missing(r, "tap0_kata -> eth0"),
            "tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on tap0_kata's ingress: "
            "selector not terminal\n");
  EXPECT_FALSE(Names(r, "eth0 -> tap0_kata")) << ToText(r);
  ExpectMatchesTc(r);  // tc's text shows "terminal flowid" for eth0's filter only
}

TEST_F(TcTest, RedirectToDeletedDeviceIsReported) {
  CreateVeth(*sock_, "gone0", "gone1", -1);
  AddIngressQdisc(*sock_, kEth);
  AddIngressQdisc(*sock_, kTap);
  AddMirredRedirect(*sock_, kEth, kTap);
  AddMirredRedirect(*sock_, kTap, "gone0");
  RunResult del = RunCommand({"ip", "netns", "exec", ns_.name(), "ip", "link", "del", "gone0"});
  ASSERT_TRUE(del.ok()) << del.output;
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  ASSERT_EQ(r.devices[1].filters.size(), 1u);
  EXPECT_EQ(r.devices[1].filters[0].target, "");
  EXPECT_EQ(r.devices[1].filters[0].target_ifindex, 0);
  EXPECT_EQ(Missing(r, "tap0_kata -> eth0"),
            "tap0_kata -> eth0: filter u32 pref 49152 fh 800::800 on tap0_kata's ingress: "
            "target none (device gone), not eth0\n");
  EXPECT_FALSE(Names(r, "eth0 -> tap0_kata")) << ToText(r);
  ExpectMatchesTc(r);  // tc prints "to_dev": "*"
}

TEST_F(TcTest, ClsactIsNotAnIngressQdisc) {
  Tc({"qdisc", "add", "dev", kEth, "clsact"});
  AddIngressQdisc(*sock_, kTap);
  AddMirredRedirect(*sock_, kTap, kEth);
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_EQ(Missing(r, "eth0 -> tap0_kata"),
            "eth0 -> tap0_kata: no ingress qdisc on eth0 (found clsact ffff: instead)\n");
  EXPECT_FALSE(Names(r, "tap0_kata -> eth0")) << ToText(r);
  ExpectMatchesTc(r);
}

// eth0 -> tap0_kata wired by netbench; tap0_kata -> eth0 wired by tc with one thing wrong.
struct WrongCase {
  const char* name;
  std::vector<std::string> filter;  // after `tc filter add dev tap0_kata parent ffff:`
  std::vector<std::string> expect;  // substrings of the tap0_kata -> eth0 line
};

void PrintTo(const WrongCase& c, std::ostream* os) { *os << c.name; }

class TcWrongTest : public TcTest, public ::testing::WithParamInterface<WrongCase> {};

TEST_P(TcWrongTest, IsReportedForItsDirectionOnly) {
  AddIngressQdisc(*sock_, kEth);
  AddIngressQdisc(*sock_, kTap);
  AddMirredRedirect(*sock_, kEth, kTap);
  std::vector<std::string> add = {"filter", "add", "dev", kTap, "parent", "ffff:"};
  add.insert(add.end(), GetParam().filter.begin(), GetParam().filter.end());
  Tc(add);
  KataWiringReport r = InspectKataWiring(*sock_, kEth, kTap);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(Names(r, "eth0 -> tap0_kata")) << ToText(r);
  const std::string line = Missing(r, "tap0_kata -> eth0");
  for (const auto& e : GetParam().expect)
    EXPECT_NE(line.find(e), std::string::npos) << e << "\n" << ToText(r);
  ExpectMatchesTc(r);
}

const std::vector<std::string> kMatchAll = {"u32", "match", "u32", "0", "0", "action", "mirred"};

std::vector<std::string> Cat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

INSTANTIATE_TEST_SUITE_P(
    Tc, TcWrongTest,
    ::testing::Values(
        WrongCase{"target",
                  Cat(Cat({"protocol", "all"}, kMatchAll), {"egress", "redirect", "dev", "peer0"}),
                  {"target peer0, not eth0"}},
        WrongCase{"protocol",
                  Cat(Cat({"protocol", "ip"}, kMatchAll), {"egress", "redirect", "dev", "eth0"}),
                  {"protocol ip, not all"}},
        WrongCase{"mirror",
                  Cat(Cat({"protocol", "all"}, kMatchAll), {"egress", "mirror", "dev", "eth0"}),
                  {"mirred egress mirror, not egress redirect; verdict pipe, not stolen"}},
        WrongCase{"ingress",
                  Cat(Cat({"protocol", "all"}, kMatchAll), {"ingress", "redirect", "dev", "eth0"}),
                  {"mirred ingress redirect, not egress redirect"}},
        WrongCase{"match",
                  {"protocol", "all", "u32", "match", "ip", "dst", "198.18.0.1/32", "action",
                   "mirred", "egress", "redirect", "dev", "eth0"},
                  {"match is not `u32 0 0`"}},
        WrongCase{"no_action",
                  {"protocol", "all", "u32", "match", "u32", "0", "0", "flowid", "1:1"},
                  {"no action"}}),
    [](const ::testing::TestParamInfo<WrongCase>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace netbench::netns
