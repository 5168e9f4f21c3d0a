#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/errors.h"
#include "common/stop.h"

namespace netbench {
namespace {

int Status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

}  // namespace

SpawnOptions WithStdio(int in, int out, int err) {
  SpawnOptions o;
  o.stdin_fd = in;
  o.stdout_fd = out;
  o.stderr_fd = err;
  return o;
}

pid_t Spawn(const std::vector<std::string>& argv, const SpawnOptions& opts) {
  if (argv.empty()) throw SetupError("empty command");
  ThrowIfStopping();
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) ThrowErrno("pipe");
  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    errno = e;
    ThrowErrno("fork");
  }
  if (pid == 0) {
    if (opts.new_process_group) ::setpgid(0, 0);
    // Reset what the parent may have blocked for its signal thread.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);  // netbench ignores it; an ignored signal survives exec
    auto die = [&](int e) {
      (void)!::write(err_pipe[1], &e, sizeof e);
      ::_exit(127);
    };
    if (!opts.netns_path.empty()) {
      int ns = ::open(opts.netns_path.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) die(errno);
    }
    if (opts.cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(opts.cpu, &set);
      if (::sched_setaffinity(0, sizeof set, &set) != 0) die(errno);
    }
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(opts.stdin_fd >= 0 ? opts.stdin_fd : devnull, STDIN_FILENO);
    ::dup2(opts.stdout_fd >= 0 ? opts.stdout_fd : devnull, STDOUT_FILENO);
    ::dup2(opts.stderr_fd >= 0 ? opts.stderr_fd : devnull, STDERR_FILENO);
    ::execvp(args[0], args.data());
    die(errno);
  }
  ::close(err_pipe[1]);
  int child_errno = 0;
  ssize_t n;
  do n = ::read(err_pipe[0], &child_errno, sizeof child_errno);
  while (n < 0 && errno == EINTR);
  ::close(err_pipe[0]);
  if (n == sizeof child_errno) {
    ::waitpid(pid, nullptr, 0);
    throw SetupError("cannot run " + argv[0] + ": " + std::strerror(child_errno));
  }
  return pid;
}

std::optional<int> WaitFor(pid_t pid, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int raw = 0;
    pid_t r = ::waitpid(pid, &raw, timeout_ms < 0 ? 0 : WNOHANG);
    if (r == pid) return Status(raw);
    if (r < 0 && errno != EINTR) return -1;  // not our child (already reaped)
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    if (r == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

RunResult RunCommand(const std::vector<std::string>& argv, int timeout_ms) {
  RunResult res;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return res;
  pid_t pid;
  try {
    pid = Spawn(argv, WithStdio(-1, p[1], p[1]));
  } catch (const SetupError& e) {
    ::close(p[0]);
    ::close(p[1]);
    res.output = e.what();
    return res;
  }
  ::close(p[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      ::kill(-pid, SIGKILL);
      break;
    }
    pollfd pfd{p[0], POLLIN, 0};
    int pr = ::poll(&pfd, 1, static_cast<int>(left));
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) continue;
    ssize_t n = ::read(p[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    res.output.append(buf, static_cast<size_t>(n));
  }
  ::close(p[0]);
  res.exit_code = WaitFor(pid, -1).value_or(-1);
  return res;
}

std::optional<std::string> FindInPath(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  size_t start = 0;
  for (;;) {
    size_t pos = dirs.find(':', start);
    std::string dir = dirs.substr(start, pos == std::string::npos ? pos : pos - start);
    std::string cand = (dir.empty() ? "." : dir) + "/" + name;
    struct stat st {};
    if (::stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(cand.c_str(), X_OK) == 0)
      return cand;
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return std::nullopt;
}

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    if (a.find_first_of(" '\"$\\") == std::string::npos && !a.empty()) {
      s += a;
    } else {
      s += '\'';
      for (char c : a) s += (c == '\'') ? std::string("'\\''") : std::string(1, c);
      s += '\'';
    }
  }
  return s;
}

}  // namespace netbench
