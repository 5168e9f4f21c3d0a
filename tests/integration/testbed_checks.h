#pragma once
// Checks shared by the integration tests that bring a testbed up.

#include <gtest/gtest.h>

#include "fixtures/address_plan.h"
#include "fixtures/testbed.h"

namespace netbench::testing {

// Both data paths work end to end: the client agent reaches the server agent through the
// testbed's plumbing for `rr` round trips and `chunks` stream chunks.
inline void ExpectBothPathsWork(Testbed& bed, uint64_t rr, uint64_t chunks) {
  const AddressPlan& p = bed.topology().plan();
  proto::ConnectCmd c;
  c.ipv4 = ParseIpv4(p.target_ip);
  c.port = p.port;
  bed.client().agent().Connect(c);
  EXPECT_EQ(bed.client().agent().RunRR(rr).samples_ns.size(), rr);
  c.mode = proto::Mode::kStream;
  bed.client().agent().Connect(c);
  EXPECT_EQ(bed.client().agent().RunStream(chunks).samples_ns.size(), chunks);
}

}  // namespace netbench::testing
