#include "netns/addresses.h"

#include <netlink/addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include <memory>

#include "netns/links.h"

namespace netbench::netns {
namespace {

struct NlAddrPut {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrPut>;

NlAddrPtr Parse(const std::string& text) {
  nl_addr* a = nullptr;
  NlCheck(nl_addr_parse(text.c_str(), AF_INET, &a), "parse address " + text);
  return NlAddrPtr(a);
}

}  // namespace

void AddAddress(NlSocket& s, const std::string& ifname, const std::string& cidr) {
  std::unique_ptr<rtnl_addr, void (*)(rtnl_addr*)> a(rtnl_addr_alloc(), rtnl_addr_put);
  rtnl_addr_set_ifindex(a.get(), LinkIndex(s, ifname));
  NlAddrPtr local = Parse(cidr);
  NlCheck(rtnl_addr_set_local(a.get(), local.get()), "address " + cidr);
  NlCheck(rtnl_addr_add(s.get(), a.get(), 0), "add address " + cidr + " to " + ifname);
}

void AddRoute(NlSocket& s, const std::string& dst, const std::string& via) {
  std::unique_ptr<rtnl_route, void (*)(rtnl_route*)> r(rtnl_route_alloc(), rtnl_route_put);
  rtnl_route_set_family(r.get(), AF_INET);
  NlAddrPtr d = Parse(dst);
  NlCheck(rtnl_route_set_dst(r.get(), d.get()), "route dst " + dst);
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  NlAddrPtr gw = Parse(via);
  rtnl_route_nh_set_gateway(nh, gw.get());
  rtnl_route_add_nexthop(r.get(), nh);  // the route owns nh from here
  NlCheck(rtnl_route_add(s.get(), r.get(), NLM_F_CREATE | NLM_F_EXCL),
          "add route " + dst + " via " + via);
}

}  // namespace netbench::netns
