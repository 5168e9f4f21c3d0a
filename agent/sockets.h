#pragma once
// Small blocking-socket helpers for the agent. No allocation on the paths the loops use.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/fd.h"

namespace netbench::agent {

uint64_t NowNs();

Fd ListenTcp(uint16_t port, std::string* error);
Fd ConnectTcp(uint32_t ipv4, uint16_t port, int timeout_ms, std::string* error);
// A UDP socket bound to the port on every address (a server's), or connected to one (a
// client's: it then takes datagrams from that peer only).
Fd BindUdp(uint16_t port, std::string* error);
Fd ConnectUdp(uint32_t ipv4, uint16_t port, std::string* error);
// Bounds every blocking send/recv on the data path so nothing waits forever.
void SetIoTimeout(int fd, int seconds);
void SetNoDelay(int fd);
// Puts a bulk receiver's acknowledgements back as they were before it wrote: a socket that
// sends soon after receiving is taken for a request/response one and its ACKs are delayed
// ("pingpong" mode) until its delayed-ACK timer fires. A stream's framing (the sink's 8-byte
// confirmation, the reverse receiver's run header) is such a write; TCP_QUICKACK 1 leaves that
// mode, so the next run is acknowledged as a bulk flow without netbench's frames is.
void EndPingPong(int fd);
bool SendAll(int fd, const void* buf, size_t len, std::string* error);
bool RecvAll(int fd, void* buf, size_t len, std::string* error);
// TCP_INFO's tcpi_total_retrans for this connection.
uint64_t TcpTotalRetrans(int fd);

}  // namespace netbench::agent
