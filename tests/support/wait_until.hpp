// Polls a condition until it holds or time runs out: for tests that watch other threads.
#pragma once

#include <chrono>
#include <thread>

namespace ih::test {

template <typename Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace ih::test
