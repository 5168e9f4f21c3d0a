// Setting up knows nothing of measuring or reporting.
#include "bench/measure.h"
