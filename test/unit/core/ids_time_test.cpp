#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <string>

#include "bora/core/ids.h"
#include "bora/core/replay_tape.h"
#include "bora/core/time.h"

using namespace bora;

TEST_CASE("generated UUIDs are canonical version-4 and distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = generate_uuid();
    CHECK(is_uuid(id));
    CHECK(id[14] == '4');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  CHECK_FALSE(is_uuid("not-a-uuid"));
  CHECK_FALSE(is_uuid("0f1e2d3c-4b5a-4697-8877-66554433221g"));
}

TEST_CASE("row ids are canonical version-7 UUIDs, distinct, ordered by their millisecond prefix") {
  auto ms_now = [] {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
  };
  auto prefix_ms = [](const std::string& id) {  // the 48-bit time: the first 12 hex digits
    return std::stoull(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
  };
  uint64_t before = ms_now();
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 5000; ++i) {
    std::string id = generate_row_id();
    CHECK(is_uuid(id));
    CHECK(id[14] == '7');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    // Made later by this thread: sorts later, within a millisecond too
    // (the durable timers' order, ORDER BY execution_time, id).
    if (!previous.empty()) CHECK(previous < id);
    previous = id;
    seen.insert(id);
  }
  uint64_t after = ms_now();
  CHECK(seen.size() == 5000);
  CHECK(prefix_ms(*seen.begin()) >= before);
  // A millisecond's counter that fills up moves on to the next one: a
  // few ahead of the clock at most.
  CHECK(prefix_ms(*seen.rbegin()) <= after + 3);
  // The random part varies within one millisecond too.
  std::set<std::string> tails;
  for (int i = 0; i < 100; ++i) tails.insert(generate_row_id().substr(15));
  CHECK(tails.size() == 100);
}

TEST_CASE("timestamps format and parse in Mistral's forms") {
  auto t = parse_time("2016-03-02 12:34:56.123456");
  REQUIRE(t);
  CHECK(format_api_time(*t) == "2016-03-02 12:34:56");
  CHECK(format_iso_time(*t) == "2016-03-02T12:34:56.123456");
  CHECK(parse_time("2016-03-02T12:34:56Z"));
  CHECK(parse_time("2016-03-02 12:34"));
  CHECK_FALSE(parse_time("2016-03-02 12:34:56+02:00"));
  CHECK_FALSE(parse_time("yesterday"));
  // List filters also take a date alone (its midnight), as Mistral's do.
  CHECK_FALSE(parse_time("2016-03-02"));
  REQUIRE(parse_time_or_date("2016-03-02"));
  CHECK(*parse_time_or_date("2016-03-02") == *parse_time("2016-03-02 00:00:00"));
  CHECK(*parse_time_or_date("2016-03-02 12:34") == *parse_time("2016-03-02 12:34"));
  CHECK_FALSE(parse_time_or_date("2016-3-02"));
  CHECK_FALSE(parse_time_or_date("2016-13-02"));
  CHECK_FALSE(parse_time("2016-13-02 12:34:56"));
  auto now = now_utc();
  CHECK(parse_time(format_iso_time(now)) == now);
}

#include "bora/core/digest.h"

TEST_CASE("md5_hex matches Python's hashlib.md5 (Mistral's workflow checksum)", "[digest]") {
  // hashlib.md5(b'').hexdigest(), hashlib.md5('version: "2.0"'.encode()).hexdigest()
  CHECK(bora::md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(bora::md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(bora::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a replay tape hands back the ids and times it recorded, in order, then new ones") {
  bora::ReplayTape tape;
  std::string a, b;
  bora::Timestamp t1;
  {
    bora::ReplayTape::Bind bind(&tape);
    a = bora::generate_uuid();
    b = bora::generate_row_id();  // row ids go through the tape too
    t1 = bora::now_utc();
  }
  CHECK(tape.ids_recorded() == 2);
  CHECK(bora::generate_uuid() != a);  // unbound: fresh
  tape.rewind();
  {
    bora::ReplayTape::Bind bind(&tape);
    CHECK(bora::generate_uuid() == a);
    CHECK(bora::generate_row_id() == b);
    CHECK(bora::now_utc() == t1);
    std::string c = bora::generate_uuid();  // past the end: new, and recorded
    CHECK(c != a);
    CHECK(c != b);
    CHECK(tape.ids_recorded() == 3);
    {
      bora::ReplayTape::Bind none(nullptr);  // binds nest
      CHECK(bora::ReplayTape::current() == nullptr);
      CHECK(bora::generate_uuid() != a);
    }
    CHECK(bora::ReplayTape::current() == &tape);
  }
  CHECK(bora::ReplayTape::current() == nullptr);
}

TEST_CASE("times format as the C library breaks them down, from year 1 to 9999 and before 1970") {
  // The formatting does the calendar arithmetic itself (no gmtime_r, no
  // snprintf); gmtime_r is the reference, over leap years, century rules,
  // month ends and negative times.
  uint64_t x = 88172645463325252ull;  // xorshift: the same instants every run
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const int64_t first = -62135596800LL;  // 0001-01-01 00:00:00
  const int64_t last = 253402300799LL;   // 9999-12-31 23:59:59
  std::vector<int64_t> seconds = {first, last, 0, -1, 86399, 86400, 951782400 /* 2000-02-29 */,
                                  4107542400 /* 2100-03-01 */, -2203891200 /* 1900-03-01 */};
  for (int i = 0; i < 20000; ++i) seconds.push_back(first + static_cast<int64_t>(next() % uint64_t(last - first)));
  for (int64_t s : seconds) {
    int64_t micros = static_cast<int64_t>(next() % 1000000);
    Timestamp t{std::chrono::microseconds(s * 1000000 + micros)};
    std::time_t tt = static_cast<std::time_t>(s);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char want[64];
    std::snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    INFO(s);
    REQUIRE(format_api_time(t) == want);
    std::snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%06d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(micros));
    REQUIRE(format_iso_time(t) == want);
  }
}
