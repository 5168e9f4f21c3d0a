#include "agent/stress.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "agent/sockets.h"

namespace netbench::agent {
namespace {

const char* FindStressNg() {
  static const char* const kCandidates[] = {"/stress-ng", "/usr/bin/stress-ng", "/bin/stress-ng"};
  for (const char* c : kCandidates)
    if (::access(c, X_OK) == 0) return c;
  return nullptr;
}

// Reads fd until EOF, or until timeout_ms passed: a stray worker holding the pipe open must
// not hang the agent.
std::string DrainFor(int fd, int timeout_ms) {
  std::string out;
  char buf[4096];
  const uint64_t end = NowNs() + static_cast<uint64_t>(timeout_ms) * 1'000'000ULL;
  for (;;) {
    const uint64_t now = NowNs();
    if (now >= end) break;
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>((end - now) / 1'000'000ULL) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

bool ParseStressNgBogoOps(const std::string& output, uint64_t* bogo_ops) {
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    auto pos = line.find("] cpu ");
    if (pos == std::string::npos) continue;
    std::istringstream fields(line.substr(pos + 6));
    double ops = 0;
    if (fields >> ops) {
      *bogo_ops = static_cast<uint64_t>(ops);
      return true;
    }
  }
  return false;
}

bool Stressor::Start(const proto::StressCmd& cmd, std::string* error) {
  if (pid_ > 0) {
    *error = "a stressor is already running";
    return false;
  }
  const char* path = FindStressNg();
  if (!path) {
    *error = "stress-ng is not present in this container";
    return false;
  }
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  std::string cpus = std::to_string(cmd.cpus);
  std::string load = std::to_string(cmd.load_percent);
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    ::close(p[0]);
    ::close(p[1]);
    return false;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(p[1], STDOUT_FILENO);
    ::dup2(p[1], STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    // --temp-path first: the container's rootfs is read-only; /tmp is a tmpfs there and in
    // the VM.
    const char* argv[] = {path,         "--temp-path", "/tmp",       "--cpu",
                          cpus.c_str(), "--cpu-load",  load.c_str(), "--metrics-brief",
                          "--timeout",  "0",           nullptr};
    ::execv(path, const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(p[1]);
  ::setpgid(pid, pid);
  pid_ = pid;
  out_fd_ = p[0];
  started_ns_ = NowNs();
  // A stressor that cannot run exits at once: report it rather than a silent zero.
  ::usleep(100'000);
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    ::kill(-pid_, SIGKILL);
    std::string output = DrainFor(out_fd_, 1000);
    ::close(out_fd_);
    pid_ = -1;
    out_fd_ = -1;
    *error = "stress-ng exited at start: " + output.substr(0, 300);
    return false;
  }
  return true;
}

bool Stressor::Stop(StressResult* result) {
  if (pid_ <= 0) return false;
  ::kill(-pid_, SIGINT);
  const uint64_t wall = NowNs() - started_ns_;
  std::string output = DrainFor(out_fd_, 5000);  // stress-ng prints its metrics, then exits
  ::kill(-pid_, SIGKILL);                        // any worker that outlived its parent
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(out_fd_);
  pid_ = -1;
  out_fd_ = -1;
  if (result) {
    result->wall_ns = wall;
    if (!ParseStressNgBogoOps(output, &result->bogo_ops)) result->bogo_ops = 0;
  }
  return true;
}

}  // namespace netbench::agent
