// Fuzz target: JSON text -> Value (parse_json, what every request body and
// every stored column goes through) and back. Besides crashes: whatever
// parse_json accepts, to_json must write as text that parse_json reads back to
// the same Value, in every format the server writes (compact, Python's
// json.dumps, indented and sorted), or a stored value would change on reload.
#include "fuzz_support.h"

using namespace bora;

namespace {

void check_round_trip(const Value& v, const JsonFormat& format, const std::string& compact) {
  std::string text = to_json(v, format);
  auto again = parse_json(text);
  if (!again.ok()) fuzz::finding("parse_json refuses what to_json wrote", text + "\n-> " + again.error().message);
  std::string back = to_json(*again);
  if (back != compact) fuzz::finding("a JSON round trip changed the value", compact + "\n-> " + text + "\n-> " + back);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = parse_json(fuzz::as_text(data, size));
  if (!parsed.ok()) return 0;
  const std::string compact = to_json(*parsed);
  check_round_trip(*parsed, JsonFormat::compact(), compact);
  check_round_trip(*parsed, JsonFormat::python(), compact);
  check_round_trip(*parsed, JsonFormat{false, false, 2, true}, to_json(*parsed, JsonFormat{false, false, -1, true}));
  return 0;
}
