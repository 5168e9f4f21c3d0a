#include "common/ipv4.h"

#include <arpa/inet.h>

#include "common/errors.h"

namespace netbench {

std::string HostPart(const std::string& cidr) { return cidr.substr(0, cidr.find('/')); }

uint32_t ParseIpv4(const std::string& addr) {
  in_addr a{};
  if (::inet_pton(AF_INET, HostPart(addr).c_str(), &a) != 1)
    throw UsageError("'" + addr + "' is not an IPv4 address");
  return ntohl(a.s_addr);
}

bool InBenchmarkRange(const std::string& addr) {
  in_addr a{};
  if (::inet_pton(AF_INET, HostPart(addr).c_str(), &a) != 1) return false;
  return (ntohl(a.s_addr) & 0xfffe0000u) == 0xc6120000u;  // 198.18.0.0/15
}

}  // namespace netbench
