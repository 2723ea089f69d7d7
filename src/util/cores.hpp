// The number of cores this process may run on: the CPU affinity mask (`taskset -c 0`, a
// container's cpuset) where the system has one, else the hardware's count.
#pragma once

#include <algorithm>
#include <thread>
#if defined(__linux__)
#include <sched.h>
#endif

namespace charter::detail {

inline unsigned usable_cores() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace charter::detail
