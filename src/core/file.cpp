#include "bora/core/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bora {

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) {
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return bad_input("cannot open '" + path + "': " + std::strerror(errno));
  std::string out;
  char buf[65536];
  size_t n;
  bool too_big = false;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out.size() + n > max_bytes) {
      too_big = true;
      break;
    }
    out.append(buf, n);
  }
  bool failed = std::ferror(f) != 0;
  int err = errno;
  if (f != stdin) std::fclose(f);
  const std::string name = path == "-" ? std::string("standard input") : "'" + path + "'";
  if (too_big) return bad_input(name + " is larger than " + std::to_string(max_bytes) + " bytes");
  if (failed) return bad_input("cannot read " + name + ": " + std::strerror(err));
  return out;
}

}  // namespace bora
