#include "netns/netns.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/errors.h"
#include "common/stop.h"

namespace netbench::netns {
namespace {

// /run/netns must be a shared mount so namespace mounts propagate into mount namespaces made
// later (runc's), exactly as iproute2 arranges it.
void EnsureNetnsDir() {
  if (::mkdir(kNetnsDir, 0755) != 0 && errno != EEXIST) ThrowErrno("mkdir /run/netns");
  if (::mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) == 0) return;
  if (errno != EINVAL) ThrowErrno("mount --make-shared /run/netns");
  if (::mount(kNetnsDir, kNetnsDir, "none", MS_BIND | MS_REC, nullptr) != 0)
    ThrowErrno("bind mount /run/netns");
  if (::mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) != 0)
    ThrowErrno("mount --make-shared /run/netns");
}

}  // namespace

NamedNetns NamedNetns::Create(const std::string& name) {
  ThrowIfStopping();
  EnsureNetnsDir();
  NamedNetns ns;
  ns.name_ = name;
  const std::string path = ns.path();
  int f = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (f < 0) ThrowErrno("create " + path);
  ::close(f);
  ns.owned_ = true;  // from here on, the destructor removes it
  int orig = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (orig < 0) ThrowErrno("open own netns");
  if (::unshare(CLONE_NEWNET) != 0) {
    ::close(orig);
    ThrowErrno("unshare(CLONE_NEWNET)");
  }
  int mrc = ::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr);
  int merr = errno;
  if (::setns(orig, CLONE_NEWNET) != 0) {
    ::close(orig);
    ThrowErrno("setns back to the original netns");
  }
  ::close(orig);
  errno = merr;
  if (mrc != 0) ThrowErrno("bind mount " + path);
  ns.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (ns.fd_ < 0) ThrowErrno("open " + path);
  return ns;
}

NamedNetns NamedNetns::Open(const std::string& name) {
  NamedNetns ns;
  ns.name_ = name;
  ns.fd_ = ::open(ns.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (ns.fd_ < 0) ThrowErrno("open " + ns.path());
  return ns;
}

NamedNetns::NamedNetns(NamedNetns&& o) noexcept
    : name_(std::move(o.name_)), fd_(o.fd_), owned_(o.owned_) {
  o.fd_ = -1;
  o.owned_ = false;
}

NamedNetns& NamedNetns::operator=(NamedNetns&& o) noexcept {
  if (this != &o) {
    Remove();
    name_ = std::move(o.name_);
    fd_ = o.fd_;
    owned_ = o.owned_;
    o.fd_ = -1;
    o.owned_ = false;
  }
  return *this;
}

NamedNetns::~NamedNetns() { Remove(); }

void NamedNetns::Remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (owned_) RemoveNamedNetns(name_);
  owned_ = false;
}

void NamedNetns::Release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  owned_ = false;
}

NetnsScope::NetnsScope(int netns_fd) {
  orig_fd_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (orig_fd_ < 0) ThrowErrno("open own netns");
  if (::setns(netns_fd, CLONE_NEWNET) != 0) {
    ::close(orig_fd_);
    ThrowErrno("setns");
  }
}

NetnsScope::~NetnsScope() {
  (void)::setns(orig_fd_, CLONE_NEWNET);
  ::close(orig_fd_);
}

bool RemoveNamedNetns(const std::string& name) {
  const std::string path = std::string(kNetnsDir) + "/" + name;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  ::umount2(path.c_str(), MNT_DETACH);
  ::unlink(path.c_str());
  return true;
}

std::vector<std::string> ListNamedNetns(const std::string& prefix) {
  std::vector<std::string> out;
  DIR* d = ::opendir(kNetnsDir);
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != ".." && n.rfind(prefix, 0) == 0) out.push_back(n);
  }
  ::closedir(d);
  return out;
}

unsigned long NetnsInode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_ino;
}

}  // namespace netbench::netns
