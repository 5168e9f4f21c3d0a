#pragma once
// An rtnetlink socket bound to one network namespace (a netlink socket belongs to the
// namespace of the thread that opened it, for its whole life).

#include <string>

struct nl_sock;

namespace netbench::netns {

class NlSocket {
 public:
  // netns_fd < 0: the calling thread's current namespace.
  explicit NlSocket(int netns_fd = -1);
  NlSocket(const NlSocket&) = delete;
  NlSocket& operator=(const NlSocket&) = delete;
  ~NlSocket();
  nl_sock* get() const { return sock_; }

 private:
  nl_sock* sock_ = nullptr;
};

// Throws SetupError("what: <libnl message>") when err < 0.
void NlCheck(int err, const std::string& what);

}  // namespace netbench::netns
