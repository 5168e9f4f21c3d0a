#include "netns/nl_socket.h"

#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <optional>

#include "common/errors.h"
#include "netns/netns.h"

namespace netbench::netns {

NlSocket::NlSocket(int netns_fd) {
  std::optional<NetnsScope> scope;
  if (netns_fd >= 0) scope.emplace(netns_fd);
  sock_ = nl_socket_alloc();
  if (!sock_) throw SetupError("nl_socket_alloc failed");
  int err = nl_connect(sock_, NETLINK_ROUTE);
  if (err < 0) {
    nl_socket_free(sock_);
    sock_ = nullptr;
    NlCheck(err, "nl_connect(NETLINK_ROUTE)");
  }
}

NlSocket::~NlSocket() {
  if (sock_) nl_socket_free(sock_);
}

void NlCheck(int err, const std::string& what) {
  if (err < 0) throw SetupError(what + ": " + nl_geterror(err));
}

}  // namespace netbench::netns
