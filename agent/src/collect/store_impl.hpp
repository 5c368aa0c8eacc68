// CollectStore's insides, shared by its write side (collect_store.cpp) and its queries
// (store_queries.cpp). Private to those two files.
#pragma once

#include <mutex>

#include "collect/collect_store.hpp"
#include "collect/sqlite_db.hpp"

namespace ih::collect {

struct CollectStore::Impl {
  StoreOptions options;
  Database db;
  mutable std::mutex mutex;  // one connection, one user at a time
};

// Lists travel through SQLite as newline-separated text (names and reasons hold no newline:
// remote ones are escaped before they get here).
std::string join_lines(const std::vector<std::string>& items);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace ih::collect
