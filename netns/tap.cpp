#include "netns/tap.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>

#include "common/errors.h"
#include "netns/netns.h"

namespace netbench::netns {

void CreatePersistentTap(int netns_fd, const std::string& name) {
  if (name.size() >= IFNAMSIZ) throw SetupError("TAP name too long: " + name);
  NetnsScope in(netns_fd);  // a tun device belongs to the namespace of its TUNSETIFF caller
  int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) ThrowErrno("open /dev/net/tun");
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
  if (::ioctl(fd, TUNSETIFF, &ifr) != 0) {
    ::close(fd);
    ThrowErrno("TUNSETIFF " + name);
  }
  if (::ioctl(fd, TUNSETPERSIST, 1) != 0) {
    ::close(fd);
    ThrowErrno("TUNSETPERSIST " + name);
  }
  ::close(fd);
}

}  // namespace netbench::netns
