#pragma once
// Named network namespaces, made the way `ip netns add` makes them (a bind mount of the
// namespace under /run/netns), and a scope that moves the calling thread into one.

#include <string>
#include <vector>

namespace netbench::netns {

inline constexpr const char* kNetnsDir = "/run/netns";

// Owns a named network namespace: removed (unmounted, unlinked) on destruction unless
// released. Everything inside it (links, addresses, routes, nft tables) goes with it.
class NamedNetns {
 public:
  static NamedNetns Create(const std::string& name);  // throws SetupError
  // An existing namespace someone else owns (netbench up's): never removed by this object.
  static NamedNetns Open(const std::string& name);  // throws SetupError
  NamedNetns() = default;
  NamedNetns(NamedNetns&& o) noexcept;
  NamedNetns& operator=(NamedNetns&& o) noexcept;
  NamedNetns(const NamedNetns&) = delete;
  NamedNetns& operator=(const NamedNetns&) = delete;
  ~NamedNetns();

  const std::string& name() const { return name_; }
  std::string path() const { return std::string(kNetnsDir) + "/" + name_; }
  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Remove();
  // Leaves the namespace in place after this object is gone (netbench up).
  void Release();

 private:
  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
};

// Moves the calling thread into a network namespace for its lifetime.
class NetnsScope {
 public:
  explicit NetnsScope(int netns_fd);
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;
  ~NetnsScope();

 private:
  int orig_fd_ = -1;
};

// Unmounts and unlinks /run/netns/<name>; true when it existed.
bool RemoveNamedNetns(const std::string& name);
std::vector<std::string> ListNamedNetns(const std::string& prefix);
// The inode that identifies a network namespace (for matching processes to it).
unsigned long NetnsInode(const std::string& path);

}  // namespace netbench::netns
