#pragma once
// The client side: one data connection at a time (or, for parallel streams, one set of them),
// and the connected test's loop run on it.

#include <cstdint>
#include <string>
#include <vector>

#include "agent/loops.h"
#include "agent/sockets.h"
#include "common/protocol.h"

namespace netbench::agent {

class Client {
 public:
  bool Connect(const proto::ConnectCmd& cmd, std::string* error);
  // n iterations of the connected test's loop; one sample each.
  bool Run(uint64_t n, std::vector<uint64_t>* samples, RunStats* stats, std::string* error);

 private:
  std::vector<Fd> conns_;
  std::vector<int> fds_;
  Peer peer_;
  bool connected_ = false;
  proto::DataConfig data_;
  std::vector<uint8_t> buf_;
};

}  // namespace netbench::agent
