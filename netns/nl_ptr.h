#pragma once
// Owning pointers for libnl objects: each releases its object with libnl's own put/free.

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/route/action.h>
#include <netlink/route/addr.h>
#include <netlink/route/classifier.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/route.h>

#include <memory>

namespace netbench::netns {

template <auto Release>
struct NlRelease {
  template <typename T>
  void operator()(T* p) const {
    Release(p);
  }
};

using AddrPtr = std::unique_ptr<nl_addr, NlRelease<nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, NlRelease<nl_cache_free>>;
using MsgPtr = std::unique_ptr<nl_msg, NlRelease<nlmsg_free>>;
using LinkPtr = std::unique_ptr<rtnl_link, NlRelease<rtnl_link_put>>;
using RtAddrPtr = std::unique_ptr<rtnl_addr, NlRelease<rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, NlRelease<rtnl_route_put>>;
using QdiscPtr = std::unique_ptr<rtnl_qdisc, NlRelease<rtnl_qdisc_put>>;
using ClsPtr = std::unique_ptr<rtnl_cls, NlRelease<rtnl_cls_put>>;
using ActPtr = std::unique_ptr<rtnl_act, NlRelease<rtnl_act_put>>;

}  // namespace netbench::netns
