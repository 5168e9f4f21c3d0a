#pragma once
// Links through libnl-route: veth, bridge, macvlan, vxlan, TAP; up/down, MTU, MAC, masters.
// Every call works in the namespace of the socket it is given.

#include <cstdint>
#include <string>
#include <vector>

#include "netns/nl_socket.h"

namespace netbench::netns {

int LinkIndex(NlSocket& s, const std::string& name);  // throws when absent

// A veth pair: `name` in the socket's namespace, `peer` moved to peer_netns_fd (-1: same).
void CreateVeth(NlSocket& s, const std::string& name, const std::string& peer, int peer_netns_fd);
void CreateBridge(NlSocket& s, const std::string& name);
// macvlan (mode bridge) on `parent`, created directly inside target_netns_fd as `name`.
void CreateMacvlan(NlSocket& s, const std::string& name, const std::string& parent,
                   int target_netns_fd);

struct VxlanSpec {
  std::string name;
  uint32_t vni = 0;
  std::string local;   // underlay source address
  std::string remote;  // the other VTEP (unicast)
  std::string dev;     // underlay device
  uint16_t port = 4789;
};
void CreateVxlan(NlSocket& s, const VxlanSpec& spec);

void SetLinkUp(NlSocket& s, const std::string& name);
void SetMtu(NlSocket& s, const std::string& name, uint32_t mtu);
void SetMaster(NlSocket& s, const std::string& slave, const std::string& master);
std::string LinkMac(NlSocket& s, const std::string& name);
uint32_t LinkMtu(NlSocket& s, const std::string& name);
// Deletes a link (a veth takes its peer with it); false when there was none.
bool DeleteLink(NlSocket& s, const std::string& name);
// The names of the socket's namespace's links that start with `prefix`.
std::vector<std::string> LinkNames(NlSocket& s, const std::string& prefix);

}  // namespace netbench::netns
