#pragma once
// The server side of every data connection: echo (RR) or sink (stream), chosen by the
// connection's hello. One thread per connection; the listener lives as long as the agent.

#include <cstdint>
#include <string>
#include <thread>

#include "bench/agent/sockets.h"

namespace netbench::agent {

class Server {
 public:
  Server() = default;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // port 0: any free port (see port()).
  bool Start(uint16_t port, std::string* error);
  bool running() const { return listener_.valid(); }
  uint16_t port() const;

 private:
  Fd listener_;
  std::thread accept_thread_;
};

// Serves one accepted connection to its end.
void ServeConnection(Fd conn);

}  // namespace netbench::agent
