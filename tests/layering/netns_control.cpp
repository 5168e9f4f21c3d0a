// The control: a netns file may include its own layer's and lower layers' headers.
#include "common/errors.h"
#include "netns/netns.h"
