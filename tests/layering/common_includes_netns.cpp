// common is the bottom layer: kernel plumbing is above it.
#include "netns/netns.h"
