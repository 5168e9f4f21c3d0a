#include "common/fd.h"

#include <fcntl.h>
#include <unistd.h>

namespace netbench {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    Reset();
    fd_ = o.Release();
  }
  return *this;
}

void Fd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Pipe Pipe::Make() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return {};
  return Pipe{Fd(p[0]), Fd(p[1])};
}

}  // namespace netbench
