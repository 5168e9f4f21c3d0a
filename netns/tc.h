#pragma once
// Traffic control through libnl-route: the ingress qdisc and Kata's "tcfilter" wiring (a u32
// match-everything filter on each device's ingress whose mirred action redirects every frame
// to the other device's egress). Every call works in the namespace of the socket it is given.

#include <cstdint>
#include <string>

#include "netns/nl_socket.h"

namespace netbench::netns {

// handle ffff:, parent ffff:fff1 (TC_H_INGRESS): the attachment point of ingress filters.
inline constexpr uint32_t kIngressHandle = 0xffff0000U;
inline constexpr uint32_t kIngressParent = 0xfffffff1U;
// The priority the kernel picks for the first filter when none is given.
inline constexpr uint32_t kKernelFirstPriority = 49152;

// `tc qdisc add dev <ifname> ingress`. Throws SetupError (also when one already exists).
void AddIngressQdisc(NlSocket& s, const std::string& ifname);

// `tc qdisc del dev <ifname> ingress`, its filters with it; false when there was none.
bool DeleteIngressQdisc(NlSocket& s, const std::string& ifname);

// Kata's filter: on from_if's ingress (parent ffff:), u32, protocol all, priority chosen by
// the kernel, one key value 0 mask 0 at offset 0 with the terminal flag, action mirred
// egress redirect to to_if, verdict stolen. Same as
// `tc filter add dev <from_if> parent ffff: protocol all u32 match u32 0 0
//  action mirred egress redirect dev <to_if>`. Needs the ingress qdisc on from_if.
void AddMirredRedirect(NlSocket& s, const std::string& from_if, const std::string& to_if);

// Kata's "tcfilter" network model: ingress qdisc on both, redirect eth -> tap and tap -> eth.
void WireKataTcFilter(NlSocket& s, const std::string& eth, const std::string& tap);

// Removes every filter on ifname's ingress (each priority, as `tc filter del dev X ingress`
// does); the qdisc stays. Returns how many priorities were removed.
int DeleteIngressFilters(NlSocket& s, const std::string& ifname);

}  // namespace netbench::netns
