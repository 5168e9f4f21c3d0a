#pragma once
// IPv4 addresses and routes through libnl-route.

#include <string>

#include "netns/nl_ptr.h"
#include "netns/nl_socket.h"

namespace netbench::netns {

// "198.18.1.2/24" or "198.18.1.2"; throws SetupError.
AddrPtr ParseAddr(const std::string& text);

// cidr: "198.18.1.2/24"
void AddAddress(NlSocket& s, const std::string& ifname, const std::string& cidr);
// dst: "0.0.0.0/0" or "198.18.2.0/24"; via: the gateway.
void AddRoute(NlSocket& s, const std::string& dst, const std::string& via);

}  // namespace netbench::netns
