// Kata on the netns backend: a real QEMU VM per side behind Kata's tc-mirred wiring. Checks
// connectivity through the VMs on every driver Kata supports, that `netbench inspect --json`
// says what `tc -j` says, that a broken direction is named and refused, and that nothing stays.

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "fixtures/netns/gc.h"
#include "fixtures/netns/kata/kata_vm.h"
#include "fixtures/netns/kata/kata_wiring.h"
#include "fixtures/netns/testbed.h"
#include "tests/integration/testbed_checks.h"
#include "tests/integration/traces.h"

namespace netbench {
namespace {

using nlohmann::json;
using testing::Sh;

const std::string kNetbench = NETBENCH_BIN;

// Built once for the whole suite: the guest image and the accelerator verdict.
const KataEnv& Env() {
  static const KataEnv env = [] {
    KataEnv e;
    e.image = EnsureGuestImage(NETBENCH_AGENT);
    e.accel = DetectVmAccel(e.image);
    return e;
  }();
  return env;
}

// What tc prints for one device: its ingress qdisc and the u32 node carrying key and action.
struct TcView {
  std::string qdisc_kind, qdisc_handle, kind, protocol, action, mirred, target, verdict;
};

TcView ReadTc(const std::string& netns, const std::string& dev) {
  TcView v;
  json q = json::parse(Sh("ip netns exec " + netns + " tc -j qdisc show dev " + dev).out);
  for (const auto& e : q)
    if (e.value("parent", "") == "ffff:fff1") {
      v.qdisc_kind = e.value("kind", "");
      v.qdisc_handle = e.value("handle", "");
    }
  json f =
      json::parse(Sh("ip netns exec " + netns + " tc -j filter show dev " + dev + " ingress").out);
  for (const auto& e : f) {
    if (!e.contains("options") || e["options"].value("fh", "") != "800::800") continue;
    v.kind = e.value("kind", "");
    v.protocol = e.value("protocol", "");
    const json& a = e["options"]["actions"][0];
    v.action = a.value("kind", "");
    v.mirred = a.value("direction", "") + " " + a.value("mirred_action", "");
    v.target = a.value("to_dev", "");
    v.verdict = a["control_action"].value("type", "");
  }
  return v;
}

class KataTest : public testing::TestbedTest<::testing::TestWithParam<std::string>> {
 protected:
  void SetUp() override {
    TestbedTest::SetUp();
    ctx_.kata = Env();
  }
};

TEST_P(KataTest, ReachesThroughTheVmsAndInspectAgreesWithTc) {
  {
    RunDirectory dir(ctx_.StateDir());
    auto bed = NetnsTestbed::Up(ctx_, TopologyKey{"kata", GetParam()});
    testing::ExpectBothPathsWork(*bed, 50, 2);
    EXPECT_NE(bed->VerifyBeforeMeasure().find("accel=" + Env().accel.accel), std::string::npos);

    for (const auto& ns :
         {bed->topology().client_netns_path(), bed->topology().server_netns_path()}) {
      const std::string name = ns.substr(ns.rfind('/') + 1);
      auto r = Sh(kNetbench + " inspect " + name + " --json");
      ASSERT_EQ(r.code, 0) << r.out;
      json report = json::parse(r.out);
      EXPECT_TRUE(report["ok"].get<bool>()) << r.out;
      ASSERT_EQ(report["devices"].size(), 2u) << r.out;
      for (const auto& d : report["devices"]) {
        const std::string dev = d["name"];
        const std::string other = dev == "eth0" ? kKataTap : "eth0";
        TcView tc = ReadTc(name, dev);
        EXPECT_EQ(tc.qdisc_kind, "ingress") << dev;
        EXPECT_EQ(d["qdisc_kind"], tc.qdisc_kind) << dev;
        EXPECT_EQ(d["qdisc_handle"], tc.qdisc_handle) << dev;
        ASSERT_EQ(d["filters"].size(), 1u) << d.dump();
        const json& f = d["filters"][0];
        EXPECT_EQ(f["kind"], tc.kind) << dev;
        EXPECT_EQ(f["protocol"], tc.protocol) << dev;
        EXPECT_EQ(tc.protocol, "all");
        EXPECT_EQ(f["action"], tc.action) << dev;
        EXPECT_EQ(f["mirred"], tc.mirred) << dev;
        EXPECT_EQ(tc.mirred, "egress redirect");
        EXPECT_EQ(f["target"], tc.target) << dev;
        EXPECT_EQ(tc.target, other);
        EXPECT_EQ(f["verdict"], tc.verdict) << dev;
        EXPECT_EQ(tc.verdict, "stolen");
      }
      // The TAP takes eth0's MTU.
      auto mtu = [&](const std::string& dev) {
        return Sh("ip -n " + name + " -j link show " + dev).out;
      };
      EXPECT_EQ(json::parse(mtu("eth0"))[0]["mtu"], json::parse(mtu(kKataTap))[0]["mtu"]);
    }
  }
  ExpectNothingLeft();
}

INSTANTIATE_TEST_SUITE_P(Drivers, KataTest, ::testing::Values("bridge", "macvlan", "overlay"));

TEST(KataBroken, AMissingDirectionIsNamedAndTheCaseRefusesToMeasure) {
  Env();  // build the guest outside the timed part
  auto before = testing::SnapshotTraces();
  auto up = Sh(kNetbench + " up kata/bridge --json 2>/dev/null");
  ASSERT_EQ(up.code, 0) << up.out;
  json j = json::parse(up.out);
  const std::string ns = j["server_netns"];
  const std::string name = ns.substr(ns.rfind('/') + 1);
  EXPECT_EQ(Sh(kNetbench + " inspect " + name + " --verify").code, 0);

  auto del = Sh("ip netns exec " + name + " tc filter del dev tap0_kata ingress");
  ASSERT_EQ(del.code, 0) << del.out;
  auto verify = Sh(kNetbench + " inspect " + name + " --verify 2>&1");
  EXPECT_EQ(verify.code, 1) << verify.out;
  EXPECT_NE(verify.out.find("tap0_kata -> eth0"), std::string::npos) << verify.out;
  EXPECT_EQ(verify.out.find("missing eth0 -> tap0_kata"), std::string::npos) << verify.out;
  // The check every kata case passes before it measures.
  try {
    RequireKataWiring(ns);
    ADD_FAILURE() << "a broken wiring was accepted";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to measure"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tap0_kata -> eth0"), std::string::npos) << e.what();
  }
  EXPECT_EQ(Sh(kNetbench + " down " + j["run_id"].get<std::string>()).code, 0);
  auto leaked = testing::NewTraces(before, testing::SnapshotTraces());
  EXPECT_TRUE(leaked.empty()) << "left behind:" << testing::Join(leaked);
}

}  // namespace
}  // namespace netbench
