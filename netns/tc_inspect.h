#pragma once
// Reads a device's ingress qdisc and ingress filters back through libnl-route, as plain values:
// what the kernel holds, with no view on what it should hold (callers judge that).
//
// Strings follow what `tc -j` prints for the same objects, so a DeviceTc and tc's JSON can be
// compared field by field (see tests/integration/tc_test.cpp for the mapping).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "netns/nl_socket.h"

namespace netbench::netns {

// One filter rule on a device's ingress. A u32 filter comes back from the kernel as three
// objects (the classifier, its hash table 800:, the node 800::800); this is the node.
struct MirredFilter {
  std::string kind;        // "u32"
  std::string protocol;    // "all" (ETH_P_ALL); "ip", "ipv6", "arp", "802.1Q", or "0x...."
  uint32_t priority = 0;   // tc's "pref": 49152 when the kernel picked it
  std::string handle;      // "800::800" (u32's htid:hash:node); "0x.." for other kinds
  bool match_all = false;  // exactly one key: value 0, mask 0, offset 0 (`match u32 0 0`)
  bool terminal = false;   // TC_U32_TERMINAL set in the u32 selector
  int action_count = 0;    // actions attached to the filter
  std::string action;      // the first action's kind: "mirred"
  std::string mirred;      // "egress redirect" | "egress mirror" | "ingress redirect" | ...
  std::string target;      // the mirred device's name; "" when none or gone
  int target_ifindex = 0;  // 0 when the device is gone (tc prints "*")
  std::string verdict;     // the action's control verdict: "stolen", "pipe", "pass", ...
};

struct DeviceTc {
  std::string name;
  int ifindex = 0;             // 0: no such device
  bool ingress_qdisc = false;  // kind ingress, handle ffff:, parent ffff:fff1
  std::string qdisc_kind;      // of whatever qdisc sits at parent ffff:fff1 ("ingress", "clsact")
  std::string qdisc_handle;    // "ffff:"
  std::string qdisc_parent;    // "ffff:fff1"
  std::vector<MirredFilter> filters;  // every rule under parent ffff:, in priority order
};

// The ingress side of one device in the socket's namespace: whatever qdisc sits at parent
// ffff:fff1 and every rule under parent ffff:. Only ifindex 0 (and the name) when there is no
// such device. Throws SetupError when libnl fails.
DeviceTc ReadIngressTc(NlSocket& s, const std::string& dev);

// The struct's own fields, names as keys (filters as an array of the same).
nlohmann::json ToJson(const DeviceTc& d);

// tc's spelling of a TC_ACT_* verdict ("stolen", "pipe", "pass", "drop", "continue", ...).
std::string VerdictName(int verdict);
// tc's spelling of a u32 handle ("800:", "800::800").
std::string U32HandleName(uint32_t handle);

}  // namespace netbench::netns
