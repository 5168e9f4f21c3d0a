#include "netns/sysctl.h"

#include <fstream>

#include "common/errors.h"

namespace netbench::netns {

void WriteSysctl(const std::string& key, const std::string& value) {
  std::ofstream f("/proc/sys/" + key);
  f << value;
  f.flush();
  if (!f) throw SetupError("sysctl " + key + "=" + value + " failed");
}

void HardenNamespace(bool ip_forward) {
  WriteSysctl("net/ipv6/conf/all/disable_ipv6", "1");
  WriteSysctl("net/ipv6/conf/default/disable_ipv6", "1");
  WriteSysctl("net/ipv4/ip_forward", ip_forward ? "1" : "0");
  // A Linux bridge with multicast snooping (Docker's default, kept) joins 224.0.0.106 (RFC 4286
  // all-snoopers) and the stack reports it with IGMPv3 to 224.0.0.22: link-local, never routed,
  // but outside 198.18.0.0/15 and nothing netbench measures. Found by --count-stray-traffic.
  WriteSysctl("net/ipv4/igmp_link_local_mcast_reports", "0");
  // A measured connection idles between repetitions while netbench collects the samples;
  // that idle must not collapse the congestion window (a harness artifact, not the path).
  WriteSysctl("net/ipv4/tcp_slow_start_after_idle", "0");
  // tcp_crr's client closes first and leaves its port in TIME_WAIT for 60 s: thousands of
  // connections a second would use up the ephemeral range in seconds. With tw_reuse 1 a new
  // connect may take a port whose TIME_WAIT is a second old (TCP timestamps keep the old
  // segments apart, RFC 6191); it changes nothing on the path (no reset, no linger).
  WriteSysctl("net/ipv4/tcp_tw_reuse", "1");
}

}  // namespace netbench::netns
