#pragma once
// TAP devices (tun/tap has no netlink "create": it is the TUNSETIFF ioctl).

#include <string>

namespace netbench::netns {

// Creates a persistent TAP named `name` in the namespace netns_fd, with Kata's flags:
// IFF_TAP | IFF_NO_PI | IFF_VNET_HDR. QEMU later attaches to it by name.
void CreatePersistentTap(int netns_fd, const std::string& name);

}  // namespace netbench::netns
