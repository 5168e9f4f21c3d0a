#include "netns/tc_inspect.h"

#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/tc_act/tc_mirred.h>
#include <netlink/attr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/route/act/gact.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "common/errors.h"
#include "netns/nl_ptr.h"
#include "netns/tc.h"

namespace netbench::netns {
namespace {

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%x", v);
  return buf;
}

// tc's print_tc_handle: "ffff:", "ffff:fff1", "root", "none".
std::string TcHandleName(uint32_t h) {
  if (h == TC_H_ROOT) return "root";
  if (h == TC_H_UNSPEC) return "none";
  std::string major = TC_H_MAJ(h) ? Hex(TC_H_MAJ(h) >> 16) : "";
  std::string minor = TC_H_MIN(h) ? Hex(TC_H_MIN(h)) : "";
  return major + ":" + minor;
}

// tc's ll_proto_n2a names for the protocols a filter is likely to carry.
std::string ProtocolName(uint16_t p) {
  switch (p) {
    case ETH_P_ALL:
      return "all";
    case ETH_P_IP:
      return "ip";
    case ETH_P_IPV6:
      return "ipv6";
    case ETH_P_ARP:
      return "arp";
    case ETH_P_8021Q:
      return "802.1Q";
    case ETH_P_8021AD:
      return "802.1ad";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", p);
  return buf;
}

// tc -j prints "direction" and "mirred_action"; this is "<direction> <mirred_action>".
std::string MirredName(int eaction) {
  switch (eaction) {
    case TCA_EGRESS_REDIR:
      return "egress redirect";
    case TCA_EGRESS_MIRROR:
      return "egress mirror";
    case TCA_INGRESS_REDIR:
      return "ingress redirect";
    case TCA_INGRESS_MIRROR:
      return "ingress mirror";
  }
  return "eaction " + std::to_string(eaction);
}

// 0 when there is no such link in the socket's namespace.
int FindIfindex(NlSocket& s, const std::string& name) {
  rtnl_link* l = nullptr;
  int err = rtnl_link_get_kernel(s.get(), 0, name.c_str(), &l);
  if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND) return 0;
  NlCheck(err, "look up link " + name);
  LinkPtr link(l);
  return rtnl_link_get_ifindex(link.get());
}

// "" when there is no such link (a mirred target that was deleted reads back as 0).
std::string FindIfname(NlSocket& s, int ifindex) {
  if (ifindex <= 0) return "";
  rtnl_link* l = nullptr;
  int err = rtnl_link_get_kernel(s.get(), ifindex, nullptr, &l);
  if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND) return "";
  NlCheck(err, "look up ifindex " + std::to_string(ifindex));
  LinkPtr link(l);
  const char* name = rtnl_link_get_name(link.get());
  return name ? name : "";
}

template <typename Fn>
void ForEach(nl_cache* cache, Fn fn) {
  for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) fn(o);
}

// The u32 selector's flags. libnl 3.7 has no getter for them (rtnl_u32_get_key gives only the
// keys), but it keeps the kernel's TCA_U32_SEL verbatim and writes it back into any request
// built from the object: build one (never sent) and read the flags out of it.
std::optional<uint8_t> U32SelectorFlags(rtnl_cls* c) {
  nl_msg* raw = nullptr;
  if (rtnl_cls_build_change_request(c, 0, &raw) < 0) return std::nullopt;
  MsgPtr msg(raw);
  nlattr* tb[TCA_MAX + 1];
  if (nlmsg_parse(nlmsg_hdr(msg.get()), sizeof(tcmsg), tb, TCA_MAX, nullptr) < 0 ||
      !tb[TCA_OPTIONS])
    return std::nullopt;
  nlattr* u32[TCA_U32_MAX + 1];
  if (nla_parse_nested(u32, TCA_U32_MAX, tb[TCA_OPTIONS], nullptr) < 0 || !u32[TCA_U32_SEL] ||
      nla_len(u32[TCA_U32_SEL]) < static_cast<int>(sizeof(tc_u32_sel)))
    return std::nullopt;
  tc_u32_sel sel;
  std::memcpy(&sel, nla_data(u32[TCA_U32_SEL]), sizeof sel);
  return sel.flags;
}

// Exactly one key, value 0 mask 0 at offset 0 (no next-header offset mask).
bool MatchesEverything(rtnl_cls* c) {
  uint32_t val = 0, mask = 0;
  int off = 0, offmask = 0;
  if (rtnl_u32_get_key(c, 0, &val, &mask, &off, &offmask) < 0) return false;
  if (val != 0 || mask != 0 || off != 0 || offmask != 0) return false;
  return rtnl_u32_get_key(c, 1, &val, &mask, &off, &offmask) < 0;  // no second key
}

void ReadActions(NlSocket& s, rtnl_act* first, MirredFilter& f) {
  for (rtnl_act* a = first; a; a = rtnl_act_next(a)) ++f.action_count;
  if (!first) return;
  const char* kind = rtnl_tc_get_kind(TC_CAST(first));
  f.action = kind ? kind : "";
  if (f.action == "mirred") {
    f.mirred = MirredName(rtnl_mirred_get_action(first));
    f.target_ifindex = static_cast<int>(rtnl_mirred_get_ifindex(first));
    f.target = FindIfname(s, f.target_ifindex);
    f.verdict = VerdictName(rtnl_mirred_get_policy(first));
  } else if (f.action == "gact") {
    f.verdict = VerdictName(rtnl_gact_get_action(first));
  }
}

// nullopt for the objects that are not rules: the classifier itself (handle 0) and u32's
// hash tables (node 0, e.g. "800:").
std::optional<MirredFilter> ReadFilter(NlSocket& s, rtnl_cls* c) {
  const uint32_t handle = rtnl_tc_get_handle(TC_CAST(c));
  const char* kind = rtnl_tc_get_kind(TC_CAST(c));
  MirredFilter f;
  f.kind = kind ? kind : "";
  const bool u32 = f.kind == "u32";
  if (handle == 0 || (u32 && TC_U32_NODE(handle) == 0)) return std::nullopt;
  f.protocol = ProtocolName(rtnl_cls_get_protocol(c));
  f.priority = rtnl_cls_get_prio(c);
  f.handle = u32 ? U32HandleName(handle) : "0x" + Hex(handle);
  if (u32) {
    f.match_all = MatchesEverything(c);
    f.terminal = (U32SelectorFlags(c).value_or(0) & TC_U32_TERMINAL) != 0;
    ReadActions(s, rtnl_u32_get_action(c), f);
  }
  return f;
}

}  // namespace

std::string VerdictName(int verdict) {
  if (TC_ACT_EXT_CMP(verdict, TC_ACT_GOTO_CHAIN)) return "goto";
  if (TC_ACT_EXT_CMP(verdict, TC_ACT_JUMP)) return "jump";
  switch (verdict) {
    case TC_ACT_UNSPEC:
      return "continue";
    case TC_ACT_OK:
      return "pass";
    case TC_ACT_RECLASSIFY:
      return "reclassify";
    case TC_ACT_SHOT:
      return "drop";
    case TC_ACT_PIPE:
      return "pipe";
    case TC_ACT_STOLEN:
      return "stolen";
    case TC_ACT_TRAP:
      return "trap";
  }
  return std::to_string(verdict);
}

std::string U32HandleName(uint32_t handle) {
  if (handle == 0) return "none";
  std::string out;
  if (TC_U32_HTID(handle)) out += Hex(TC_U32_USERHTID(handle)) + ":";
  if (TC_U32_HASH(handle)) out += Hex(TC_U32_HASH(handle));
  if (TC_U32_NODE(handle)) out += ":" + Hex(TC_U32_NODE(handle));
  return out;
}

DeviceTc ReadIngressTc(NlSocket& s, const std::string& name) {
  DeviceTc d;
  d.name = name;
  d.ifindex = FindIfindex(s, name);
  if (d.ifindex == 0) return d;
  nl_cache* qdisc_cache = nullptr;
  NlCheck(rtnl_qdisc_alloc_cache(s.get(), &qdisc_cache), "list qdiscs");
  CachePtr qdiscs(qdisc_cache);
  ForEach(qdiscs.get(), [&](nl_object* o) {
    auto* tc = TC_CAST(o);
    if (rtnl_tc_get_ifindex(tc) != d.ifindex || rtnl_tc_get_parent(tc) != kIngressParent) return;
    const char* kind = rtnl_tc_get_kind(tc);
    d.qdisc_kind = kind ? kind : "";
    d.qdisc_handle = TcHandleName(rtnl_tc_get_handle(tc));
    d.qdisc_parent = TcHandleName(rtnl_tc_get_parent(tc));
    d.ingress_qdisc = d.qdisc_kind == "ingress" && rtnl_tc_get_handle(tc) == kIngressHandle;
  });
  nl_cache* filter_cache = nullptr;
  NlCheck(rtnl_cls_alloc_cache(s.get(), d.ifindex, kIngressHandle, &filter_cache),
          "list ingress filters on " + name);
  CachePtr filters(filter_cache);
  ForEach(filters.get(), [&](nl_object* o) {
    if (auto f = ReadFilter(s, reinterpret_cast<rtnl_cls*>(o))) d.filters.push_back(*f);
  });
  return d;
}

nlohmann::json ToJson(const DeviceTc& d) {
  nlohmann::json filters = nlohmann::json::array();
  for (const auto& f : d.filters) {
    filters.push_back({{"kind", f.kind},
                       {"protocol", f.protocol},
                       {"priority", f.priority},
                       {"handle", f.handle},
                       {"match_all", f.match_all},
                       {"terminal", f.terminal},
                       {"action_count", f.action_count},
                       {"action", f.action},
                       {"mirred", f.mirred},
                       {"target", f.target},
                       {"target_ifindex", f.target_ifindex},
                       {"verdict", f.verdict}});
  }
  return {{"name", d.name},
          {"ifindex", d.ifindex},
          {"ingress_qdisc", d.ingress_qdisc},
          {"qdisc_kind", d.qdisc_kind},
          {"qdisc_handle", d.qdisc_handle},
          {"qdisc_parent", d.qdisc_parent},
          {"filters", filters}};
}

}  // namespace netbench::netns
