#pragma once
// Reads and writes protocol frames over a pair of file descriptors (pipes, a virtio-serial
// port, a socket). Used on both ends of the control channel.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/protocol.h"

namespace netbench {

struct Frame {
  proto::Type type;
  std::vector<uint8_t> payload;
};

class FrameIo {
 public:
  FrameIo(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {}
  // A virtio-serial port reads 0 bytes while nobody is connected on the host side; that is
  // not the end of the channel. With this set, such reads wait (politely: the guest has one
  // vCPU) and try again.
  void set_retry_on_eof(bool v) { retry_on_eof_ = v; }

  bool Write(proto::Type type, std::span<const uint8_t> payload, std::string* error);
  bool Write(proto::Type type, std::string* error) { return Write(type, {}, error); }
  // Waits at most timeout_ms for the whole frame (-1: no limit). nullopt on EOF, timeout or a
  // malformed frame, with *error saying which.
  std::optional<Frame> Read(int timeout_ms, std::string* error);

  int in_fd() const { return in_fd_; }
  int out_fd() const { return out_fd_; }

 private:
  bool ReadExact(uint8_t* buf, size_t n, long deadline_ms, std::string* error);
  int in_fd_;
  int out_fd_;
  bool retry_on_eof_ = false;
};

}  // namespace netbench
