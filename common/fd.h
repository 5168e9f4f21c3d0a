#pragma once
// Owns one file descriptor: closed when the owner goes, whatever path it leaves by. Shared by
// netbench and the agent (no dependencies).

namespace netbench {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.Release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives the descriptor up without closing it.
  int Release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void Reset();

 private:
  int fd_ = -1;
};

// A pipe's two ends, close-on-exec; throws nothing: both invalid when pipe2 failed (errno set).
struct Pipe {
  Fd read;
  Fd write;
  static Pipe Make();
};

}  // namespace netbench
