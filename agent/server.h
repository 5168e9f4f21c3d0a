#pragma once
// The server side of the data connections: one listener per port, each serving the test it
// was told (serve command) on every connection it accepts, one thread per connection (the
// connections of parallel streams share one: ParallelSink). Telling
// a port again changes what its next connections run; connections already open keep theirs.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "agent/parallel_sink.h"
#include "agent/sockets.h"
#include "common/protocol.h"

namespace netbench::agent {

class Server {
 public:
  Server() = default;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Serves cmd.data on cmd.port (port 0: any free port; see port()).
  bool Serve(const proto::ServeCmd& cmd, std::string* error);
  // The port of the listener opened last (0 when none).
  uint16_t port() const { return last_port_; }

 private:
  struct Listener {
    Fd fd;
    std::mutex mu;
    proto::DataConfig data;                       // guarded by mu
    std::unique_ptr<ParallelSink> parallel_sink;  // made and used by accept_thread only
    std::thread accept_thread;
  };
  std::map<uint16_t, std::unique_ptr<Listener>> listeners_;
  uint16_t last_port_ = 0;
};

// Serves one accepted connection to its end, as `data` says.
void ServeConnection(Fd conn, proto::DataConfig data);

}  // namespace netbench::agent
