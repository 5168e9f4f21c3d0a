#pragma once
// Busy polling: waiting for data by spinning on non-blocking recv instead of sleeping in the
// kernel, so no scheduler wakeup sits in the round trip (sockperf's --nonblocked, netperf's
// spinning modes). SO_BUSY_POLL adds the kernel's own spinning on the device's NAPI context,
// which only a socket whose packets came through a NAPI instance has (SO_INCOMING_NAPI_ID
// non-zero): here veth without GRO/XDP, bridge, macvlan and vxlan hand packets on without one.

#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace netbench::agent {

// SO_BUSY_POLL's microseconds when the socket has a NAPI id: the value the kernel docs suggest
// for low latency (net.core.busy_read=50).
inline constexpr uint32_t kBusyPollUs = 50;
// How long a server spins with no data before it sleeps in poll() until some arrives: a run's
// requests come back to back, so this is only reached between runs (a spinning server would
// otherwise hold its CPU while netbench sets up the next case).
inline constexpr uint64_t kIdleSpinNs = 20'000'000;

// recv(MSG_DONTWAIT) until it returns data, 0 (closed) or an error other than EAGAIN, or until
// spin_ns have passed (then -1 with errno EAGAIN). The clock is read only while recv has nothing.
ssize_t SpinRecv(int fd, void* buf, size_t len, uint64_t spin_ns);
// As SpinRecv, for datagrams with their sender's address.
ssize_t SpinRecvFrom(int fd, void* buf, size_t len, sockaddr* from, socklen_t* from_len,
                     uint64_t spin_ns);
// Exactly len bytes, spinning; fails after timeout_ns without any of it, or timeout_ns after
// its first part without the rest.
bool SpinRecvAll(int fd, void* buf, size_t len, uint64_t timeout_ns, std::string* error);
// Sleeps in poll() until fd is readable; false when it was shut down or closed.
bool WaitReadable(int fd);

// The socket's SO_INCOMING_NAPI_ID: the NAPI instance its last packet came through (0: none).
uint32_t IncomingNapiId(int fd);
// Sets SO_BUSY_POLL (kBusyPollUs) when the socket has a NAPI id and it is not set yet. Returns
// the microseconds in force (0: none: the path has no NAPI id, or the kernel refused it).
uint32_t EnableKernelBusyPoll(int fd);

}  // namespace netbench::agent
