#pragma once
// TCP connect/request/response (netperf's TCP_CRR): per iteration a new connection, one
// request and one response, and the client's close. The timed part is what a client and a
// server do for a connection and nothing of netbench's own: the client's socket and its
// timeouts are set before the clock starts; the server answers on its accepting thread (no
// thread started per connection) and sets no option on the connection.

#include <cstdint>
#include <span>
#include <string>

namespace netbench::agent {

// Exactly out.size() transactions to ipv4:port; out[i] is the i-th one's time from connect to
// close, *connect_ns the sum of their connects.
bool RunConnectTransactions(uint32_t ipv4, uint16_t port, std::span<uint8_t> msg,
                            std::span<uint64_t> out, uint64_t* connect_ns, std::string* error);

// One accepted connection: reads the request, answers it, and closes once the client has.
void AnswerOnce(int fd, uint32_t msg_size);

}  // namespace netbench::agent
