// A database file under /tmp, removed (with its WAL files) at scope exit.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bora/core/ids.h"
#include "bora/storage/database.h"

namespace bora::storage::test {

struct TempDbFile {
  std::string path = "/tmp/bora-storage-test-" + generate_uuid() + ".db";
  std::string url() const { return "sqlite:///" + path; }
  ~TempDbFile() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  }
};

inline std::unique_ptr<Database> open_migrated(const std::string& url) {
  auto db = Database::open(url);
  if (!db) throw BoraError(db.error());
  (*db)->upgrade().value();
  return std::move(db).value();
}

}  // namespace bora::storage::test
