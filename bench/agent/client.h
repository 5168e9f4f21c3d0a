#pragma once
// The client side: one data connection at a time, and the measuring loops run on it.

#include <cstdint>
#include <string>
#include <vector>

#include "bench/agent/sockets.h"
#include "bench/agent/stream.h"
#include "common/protocol.h"

namespace netbench::agent {

class Client {
 public:
  bool Connect(const proto::ConnectCmd& cmd, std::string* error);
  bool RunRR(uint64_t n, std::vector<uint64_t>* samples, std::string* error);
  // *retrans: TCP retransmissions during this run.
  bool RunStream(uint64_t n, std::vector<uint64_t>* samples, uint64_t* retrans, std::string* error);

 private:
  Fd conn_;
  proto::ConnectCmd cfg_;
  std::vector<uint8_t> buf_;
};

}  // namespace netbench::agent
