#pragma once
// IPv4 addresses as text, and the range every address netbench assigns lies in.

#include <cstdint>
#include <string>

namespace netbench {

// "198.18.1.2/24" -> "198.18.1.2"
std::string HostPart(const std::string& cidr);
// True when the IPv4 address (with or without /len) lies in 198.18.0.0/15 (RFC 2544).
bool InBenchmarkRange(const std::string& addr);
uint32_t ParseIpv4(const std::string& addr);  // host byte order; throws UsageError on bad input

}  // namespace netbench
