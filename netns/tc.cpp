#include "netns/tc.h"

#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_mirred.h>
#include <netlink/cache.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

#include <memory>
#include <set>
#include <utility>

#include "common/errors.h"
#include "netns/links.h"
#include "netns/nl_ptr.h"

namespace netbench::netns {
namespace {

template <typename T, typename D>
std::unique_ptr<T, D> Checked(std::unique_ptr<T, D> p, const char* what) {
  if (!p) throw SetupError(std::string(what) + " failed");
  return p;
}

// A filter on ifindex's ingress (parent ffff:), no priority (the kernel picks one).
ClsPtr IngressCls(int ifindex) {
  ClsPtr c = Checked(ClsPtr(rtnl_cls_alloc()), "rtnl_cls_alloc");
  rtnl_tc_set_ifindex(TC_CAST(c.get()), ifindex);
  rtnl_tc_set_parent(TC_CAST(c.get()), kIngressHandle);
  return c;
}

// mirred egress redirect to to_ifindex, verdict stolen.
ActPtr MirredRedirect(int to_ifindex) {
  ActPtr a = Checked(ActPtr(rtnl_act_alloc()), "rtnl_act_alloc");
  NlCheck(rtnl_tc_set_kind(TC_CAST(a.get()), "mirred"), "mirred action kind");
  // rtnl_mirred_set_action returns a *positive* NLE_OPNOTSUPP for the ingress actions, so
  // NlCheck would not catch a mistake there; only the egress ones are used.
  NlCheck(rtnl_mirred_set_action(a.get(), TCA_EGRESS_REDIR), "mirred egress redirect");
  NlCheck(rtnl_mirred_set_ifindex(a.get(), static_cast<uint32_t>(to_ifindex)), "mirred dev");
  NlCheck(rtnl_mirred_set_policy(a.get(), TC_ACT_STOLEN), "mirred verdict");
  return a;
}

}  // namespace

void AddIngressQdisc(NlSocket& s, const std::string& ifname) {
  QdiscPtr q = Checked(QdiscPtr(rtnl_qdisc_alloc()), "rtnl_qdisc_alloc");
  rtnl_tc_set_ifindex(TC_CAST(q.get()), LinkIndex(s, ifname));
  rtnl_tc_set_parent(TC_CAST(q.get()), kIngressParent);
  rtnl_tc_set_handle(TC_CAST(q.get()), kIngressHandle);
  NlCheck(rtnl_tc_set_kind(TC_CAST(q.get()), "ingress"), "ingress qdisc kind");
  NlCheck(rtnl_qdisc_add(s.get(), q.get(), NLM_F_CREATE | NLM_F_EXCL),
          "add ingress qdisc on " + ifname);
}

bool DeleteIngressQdisc(NlSocket& s, const std::string& ifname) {
  QdiscPtr q = Checked(QdiscPtr(rtnl_qdisc_alloc()), "rtnl_qdisc_alloc");
  rtnl_tc_set_ifindex(TC_CAST(q.get()), LinkIndex(s, ifname));
  rtnl_tc_set_parent(TC_CAST(q.get()), kIngressParent);
  rtnl_tc_set_handle(TC_CAST(q.get()), kIngressHandle);
  const int err = rtnl_qdisc_delete(s.get(), q.get());
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR || err == -NLE_INVAL) return false;
  NlCheck(err, "delete ingress qdisc on " + ifname);
  return true;
}

void AddMirredRedirect(NlSocket& s, const std::string& from_if, const std::string& to_if) {
  const std::string what = "mirred redirect " + from_if + " -> " + to_if;
  ClsPtr c = IngressCls(LinkIndex(s, from_if));
  NlCheck(rtnl_tc_set_kind(TC_CAST(c.get()), "u32"), what + ": u32 kind");
  rtnl_cls_set_protocol(c.get(), ETH_P_ALL);
  // `match u32 0 0`: one key, value 0 mask 0 at offset 0, and the terminal flag that tc (and
  // Kata's netlink library) set on a filter with an action. set_cls_terminal alone does not
  // mark the selector present in libnl 3.7; add_key does, so both go into the request.
  NlCheck(rtnl_u32_set_cls_terminal(c.get()), what + ": terminal flag");
  NlCheck(rtnl_u32_add_key(c.get(), 0, 0, 0, 0), what + ": u32 key");
  ActPtr a = MirredRedirect(LinkIndex(s, to_if));
  NlCheck(rtnl_u32_add_action(c.get(), a.get()), what + ": action");  // takes its own ref
  NlCheck(rtnl_cls_add(s.get(), c.get(), NLM_F_CREATE | NLM_F_EXCL), "add " + what);
}

void WireKataTcFilter(NlSocket& s, const std::string& eth, const std::string& tap) {
  AddIngressQdisc(s, eth);
  AddIngressQdisc(s, tap);
  AddMirredRedirect(s, eth, tap);
  AddMirredRedirect(s, tap, eth);
}

int DeleteIngressFilters(NlSocket& s, const std::string& ifname) {
  const int ifindex = LinkIndex(s, ifname);
  nl_cache* raw = nullptr;
  NlCheck(rtnl_cls_alloc_cache(s.get(), ifindex, kIngressHandle, &raw),
          "list ingress filters on " + ifname);
  CachePtr cache(raw);
  // Every filter object carries its priority; deleting (priority, protocol) with handle 0
  // removes the whole classifier instance at that priority.
  std::set<std::pair<uint16_t, uint16_t>> prios;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* c = reinterpret_cast<rtnl_cls*>(o);
    prios.emplace(rtnl_cls_get_prio(c), rtnl_cls_get_protocol(c));
  }
  for (const auto& [prio, protocol] : prios) {
    ClsPtr d = IngressCls(ifindex);
    rtnl_cls_set_prio(d.get(), prio);
    rtnl_cls_set_protocol(d.get(), protocol);
    NlCheck(rtnl_cls_delete(s.get(), d.get(), 0),
            "delete ingress filter pref " + std::to_string(prio) + " on " + ifname);
  }
  return static_cast<int>(prios.size());
}

}  // namespace netbench::netns
