#pragma once
// Network sysctls of the calling thread's current network namespace.

#include <string>

namespace netbench::netns {

// key: "net/ipv4/ip_forward"
void WriteSysctl(const std::string& key, const std::string& value);
// ipv6 off (no router solicitations or DAD to ff02::), no IGMP reports of link-local groups,
// forwarding as asked.
void HardenNamespace(bool ip_forward);

}  // namespace netbench::netns
