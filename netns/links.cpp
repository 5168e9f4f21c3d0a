#include "netns/links.h"

#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vxlan.h>

#include <memory>

#include "common/errors.h"
#include "netns/addresses.h"
#include "netns/nl_ptr.h"

namespace netbench::netns {
namespace {

LinkPtr GetLink(NlSocket& s, const std::string& name) {
  rtnl_link* l = nullptr;
  int err = rtnl_link_get_kernel(s.get(), 0, name.c_str(), &l);
  NlCheck(err, "look up link " + name);
  return LinkPtr(l);
}

void AddLink(NlSocket& s, rtnl_link* l, const std::string& what) {
  NlCheck(rtnl_link_add(s.get(), l, NLM_F_CREATE | NLM_F_EXCL), "create " + what);
}

// Applies a change built on a fresh object to the named link.
template <typename Fn>
void ChangeLink(NlSocket& s, const std::string& name, const std::string& what, Fn fill) {
  LinkPtr cur = GetLink(s, name);
  LinkPtr change(rtnl_link_alloc());
  fill(change.get());
  NlCheck(rtnl_link_change(s.get(), cur.get(), change.get(), 0), what + " " + name);
}

}  // namespace

int LinkIndex(NlSocket& s, const std::string& name) {
  return rtnl_link_get_ifindex(GetLink(s, name).get());
}

void CreateVeth(NlSocket& s, const std::string& name, const std::string& peer, int peer_netns_fd) {
  LinkPtr l(rtnl_link_veth_alloc());
  if (!l) throw SetupError("rtnl_link_veth_alloc failed");
  rtnl_link_set_name(l.get(), name.c_str());
  rtnl_link* p = rtnl_link_veth_get_peer(l.get());
  rtnl_link_set_name(p, peer.c_str());
  if (peer_netns_fd >= 0) rtnl_link_set_ns_fd(p, peer_netns_fd);
  rtnl_link_put(p);
  AddLink(s, l.get(), "veth " + name + "/" + peer);
}

void CreateBridge(NlSocket& s, const std::string& name) {
  LinkPtr l(rtnl_link_alloc());
  NlCheck(rtnl_link_set_type(l.get(), "bridge"), "bridge type");
  rtnl_link_set_name(l.get(), name.c_str());
  AddLink(s, l.get(), "bridge " + name);
}

void CreateMacvlan(NlSocket& s, const std::string& name, const std::string& parent,
                   int target_netns_fd) {
  LinkPtr l(rtnl_link_macvlan_alloc());
  if (!l) throw SetupError("rtnl_link_macvlan_alloc failed");
  rtnl_link_set_name(l.get(), name.c_str());
  rtnl_link_set_link(l.get(), LinkIndex(s, parent));
  NlCheck(rtnl_link_macvlan_set_mode(l.get(), rtnl_link_macvlan_str2mode("bridge")),
          "macvlan mode");
  if (target_netns_fd >= 0) rtnl_link_set_ns_fd(l.get(), target_netns_fd);
  AddLink(s, l.get(), "macvlan " + name + " on " + parent);
}

void CreateVxlan(NlSocket& s, const VxlanSpec& spec) {
  LinkPtr l(rtnl_link_vxlan_alloc());
  if (!l) throw SetupError("rtnl_link_vxlan_alloc failed");
  rtnl_link_set_name(l.get(), spec.name.c_str());
  NlCheck(rtnl_link_vxlan_set_id(l.get(), spec.vni), "vxlan id");
  AddrPtr local = ParseAddr(spec.local);
  AddrPtr remote = ParseAddr(spec.remote);
  NlCheck(rtnl_link_vxlan_set_local(l.get(), local.get()), "vxlan local");
  NlCheck(rtnl_link_vxlan_set_group(l.get(), remote.get()), "vxlan remote");
  NlCheck(rtnl_link_vxlan_set_link(l.get(), static_cast<uint32_t>(LinkIndex(s, spec.dev))),
          "vxlan dev");
  NlCheck(rtnl_link_vxlan_set_port(l.get(), spec.port), "vxlan port");
  NlCheck(rtnl_link_vxlan_set_learning(l.get(), 1), "vxlan learning");
  AddLink(s, l.get(), "vxlan " + spec.name);
}

void SetLinkUp(NlSocket& s, const std::string& name) {
  ChangeLink(s, name, "set up", [](rtnl_link* c) { rtnl_link_set_flags(c, IFF_UP); });
}

void SetMtu(NlSocket& s, const std::string& name, uint32_t mtu) {
  ChangeLink(s, name, "set mtu", [mtu](rtnl_link* c) { rtnl_link_set_mtu(c, mtu); });
}

void SetMaster(NlSocket& s, const std::string& slave, const std::string& master) {
  NlCheck(rtnl_link_enslave_ifindex(s.get(), LinkIndex(s, master), LinkIndex(s, slave)),
          "enslave " + slave + " to " + master);
}

std::string LinkMac(NlSocket& s, const std::string& name) {
  LinkPtr l = GetLink(s, name);
  nl_addr* a = rtnl_link_get_addr(l.get());
  if (!a) return "";
  char buf[64];
  return nl_addr2str(a, buf, sizeof buf);
}

uint32_t LinkMtu(NlSocket& s, const std::string& name) {
  return rtnl_link_get_mtu(GetLink(s, name).get());
}

bool DeleteLink(NlSocket& s, const std::string& name) {
  rtnl_link* l = nullptr;
  if (rtnl_link_get_kernel(s.get(), 0, name.c_str(), &l) < 0) return false;
  LinkPtr link(l);
  NlCheck(rtnl_link_delete(s.get(), link.get()), "delete link " + name);
  return true;
}

std::vector<std::string> LinkNames(NlSocket& s, const std::string& prefix) {
  nl_cache* cache = nullptr;
  NlCheck(rtnl_link_alloc_cache(s.get(), AF_UNSPEC, &cache), "list links");
  std::vector<std::string> names;
  for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
    const char* n = rtnl_link_get_name(reinterpret_cast<rtnl_link*>(o));
    if (n && std::string(n).starts_with(prefix)) names.emplace_back(n);
  }
  nl_cache_free(cache);
  return names;
}

}  // namespace netbench::netns
