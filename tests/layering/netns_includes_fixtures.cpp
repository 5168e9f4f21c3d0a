// Kernel plumbing knows nothing of testbeds.
#include "fixtures/testbed.h"
