// nb-agent: the one program that runs inside every container and VM. It serves the data side
// (echo, sink), runs the measuring loops on command, and never executes anything but its fixed
// command set (stress-ng is the only program it starts).
//
//   nb-agent                   control frames on stdin/stdout (runc)
//   nb-agent --control PATH    control frames on a character device (virtio-serial in a VM)
//   nb-agent --serve PORT      no control channel: serve every mode at its default sizes on
//                              PORT + its offset (proto::PortOffset) until killed (netbench up)
//   nb-agent --idle            no control channel: wait until killed (netbench up)

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "agent/dispatcher.h"
#include "agent/server.h"

namespace {

int Usage() {
  std::fprintf(stderr, "usage: nb-agent [--control PATH | --serve PORT | --idle]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  using netbench::FrameIo;
  if (argc == 1) return netbench::agent::Dispatcher(FrameIo(STDIN_FILENO, STDOUT_FILENO)).Run();
  std::string opt = argv[1];
  if (opt == "--control" && argc == 3) {
    int fd = ::open(argv[2], O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      std::fprintf(stderr, "nb-agent: open %s: %s\n", argv[2], std::strerror(errno));
      return 1;
    }
    FrameIo io(fd, fd);
    io.set_retry_on_eof(true);  // virtio-serial: the host may connect late or reconnect
    return netbench::agent::Dispatcher(io).Run();
  }
  // Without a control channel the agent is a container's first process and starts nothing;
  // orphans reparented to it (a stressor of an agent `runc exec` started there, killed
  // abruptly) are reaped at once instead of lingering as zombies.
  if (opt == "--serve" || opt == "--idle") ::signal(SIGCHLD, SIG_IGN);
  if (opt == "--serve" && argc == 3) {
    long port = std::strtol(argv[2], nullptr, 10);
    if (port <= 0 || port > 65535) return Usage();
    netbench::agent::Server server;
    std::string error;
    for (const auto& cmd : netbench::proto::ServeEveryMode(static_cast<uint16_t>(port))) {
      if (!server.Serve(cmd, &error)) {
        std::fprintf(stderr, "nb-agent: %s\n", error.c_str());
        return 1;
      }
    }
    for (;;) ::pause();
  }
  if (opt == "--idle" && argc == 2) {
    for (;;) ::pause();
  }
  return Usage();
}
