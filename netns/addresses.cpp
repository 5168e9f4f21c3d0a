#include "netns/addresses.h"

#include <netlink/addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include <memory>

#include "netns/links.h"

namespace netbench::netns {
AddrPtr ParseAddr(const std::string& text) {
  nl_addr* a = nullptr;
  NlCheck(nl_addr_parse(text.c_str(), AF_INET, &a), "parse address " + text);
  return AddrPtr(a);
}

void AddAddress(NlSocket& s, const std::string& ifname, const std::string& cidr) {
  RtAddrPtr a(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(a.get(), LinkIndex(s, ifname));
  AddrPtr local = ParseAddr(cidr);
  NlCheck(rtnl_addr_set_local(a.get(), local.get()), "address " + cidr);
  NlCheck(rtnl_addr_add(s.get(), a.get(), 0), "add address " + cidr + " to " + ifname);
}

void AddRoute(NlSocket& s, const std::string& dst, const std::string& via) {
  RoutePtr r(rtnl_route_alloc());
  rtnl_route_set_family(r.get(), AF_INET);
  AddrPtr d = ParseAddr(dst);
  NlCheck(rtnl_route_set_dst(r.get(), d.get()), "route dst " + dst);
  AddrPtr gw = ParseAddr(via);  // before the next hop exists: nothing to leak if it throws
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  rtnl_route_nh_set_gateway(nh, gw.get());
  rtnl_route_add_nexthop(r.get(), nh);  // the route owns nh from here
  NlCheck(rtnl_route_add(s.get(), r.get(), NLM_F_CREATE | NLM_F_EXCL),
          "add route " + dst + " via " + via);
}

}  // namespace netbench::netns
