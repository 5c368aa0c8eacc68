// How a benchmark report is shown: a table for people, JSON for tools (schema in
// docs/bench-json.md).
#pragma once

#include <string>

#include "ih/bench/bench_runner.hpp"

namespace ih::bench {

inline constexpr const char* kBenchJsonSchema = "infinite-hashes/bench/1";

std::string format_table(const BenchReport& report);

// `hardware_json` is a JSON object describing the machine (embedded as "hardware").
std::string format_json(const BenchReport& report, const std::string& hardware_json);

}  // namespace ih::bench
