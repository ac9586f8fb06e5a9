// The strict UTF-8 check every entry point uses, the repair action output
// gets, and the JSON/YAML readers and the JSON writer built on them.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/core/python_codecs.h"
#include "bora/core/utf8.h"
#include "bora/core/yaml.h"

using namespace bora;

TEST_CASE("find_invalid_utf8 accepts well-formed text and finds the first bad byte", "[utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii\n"));
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));  // é € 😀 U+10FFFF
  CHECK(find_invalid_utf8("wf\xff:") == 2);
  CHECK(find_invalid_utf8("ab\x80") == 2);             // lone continuation byte
  CHECK(find_invalid_utf8("\xc0\xaf") == 0);           // overlong '/'
  CHECK(find_invalid_utf8("\xc1\xbf") == 0);           // overlong
  CHECK(find_invalid_utf8("\xe0\x80\xaf") == 0);       // overlong 3-byte
  CHECK(find_invalid_utf8("x\xed\xa0\x80") == 1);      // surrogate U+D800 (CESU-8)
  CHECK(find_invalid_utf8("\xed\xb0\x80") == 0);       // surrogate U+DC00
  CHECK(find_invalid_utf8("\xf4\x90\x80\x80") == 0);   // above U+10FFFF
  CHECK(find_invalid_utf8("\xf5\x80\x80\x80") == 0);
  CHECK(find_invalid_utf8("ok\xe2\x82") == 2);         // truncated at the end
  CHECK(find_invalid_utf8("\xe2\x82x") == 0);          // cut by an ASCII byte
}

TEST_CASE("repair_utf8 replaces bad bytes as Python's decode(errors='replace') does", "[utf8]") {
  const std::string fffd = "\xef\xbf\xbd";
  CHECK(repair_utf8("fine \xc3\xa9") == "fine \xc3\xa9");
  // b'wf\xff'.decode(errors='replace') == 'wf\ufffd'
  CHECK(repair_utf8("wf\xff") == "wf" + fffd);
  // A maximal ill-formed prefix is one U+FFFD: b'\xe2\x82x' -> '\ufffdx'
  CHECK(repair_utf8("\xe2\x82x") == fffd + "x");
  // b'\xed\xa0\x80' -> three U+FFFD (0xA0 cannot follow 0xED)
  CHECK(repair_utf8("\xed\xa0\x80") == fffd + fffd + fffd);
  // b'\xc0\xaf' -> two
  CHECK(repair_utf8("\xc0\xaf") == fffd + fffd);
  CHECK(is_valid_utf8(repair_utf8("\x80\x81\xfe\xff\xf0\x9f\x98")));
}

TEST_CASE("a lone surrogate is text, not UTF-8: held in its generalized form, kept by repair_text", "[utf8]") {
  const std::string fffd = "\xef\xbf\xbd";
  CHECK(find_invalid_text("x\xed\xa0\x80y\xed\xbf\xbf") == std::string_view::npos);  // U+D800, U+DFFF
  CHECK(find_invalid_text("x\xed\xa0") == 1);      // cut short
  CHECK(find_invalid_text("\xff") == 0);            // still not text
  CHECK(find_invalid_text("\xf4\x90\x80\x80") == 0);
  CHECK(is_surrogate_at("a\xed\xa0\x80", 1));
  CHECK_FALSE(is_surrogate_at("a\xed\x9f\xbf", 1));  // U+D7FF
  CHECK_FALSE(is_surrogate_at("a\xed\xa0", 1));
  CHECK(repair_text("\xed\xa0\x80\xff") == "\xed\xa0\x80" + fffd);
  CHECK(repair_utf8("\xed\xa0\x80") == fffd + fffd + fffd);  // UTF-8 only: what a column stores
  // One character each, as in Python's str.
  CHECK(utf8_length("\xed\xa0\xbd\xed\xb8\x80") == 2);  // '\ud83d\ude00'
  CHECK(utf8_characters("a\xed\xa0\x80" "b").size() == 3);
  CHECK(python_utf8_encode_error("ab\xed\xa0\x80") ==
        std::string("'utf-8' codec can't encode character '\\ud800' in position 2: surrogates not allowed"));
  CHECK(python_utf8_encode_error("\xed\xa0\x80\xed\xb0\x80x") ==
        std::string("'utf-8' codec can't encode characters in position 0-1: surrogates not allowed"));
  CHECK_FALSE(python_utf8_encode_error("caf\xc3\xa9").has_value());
}

TEST_CASE("repair_text_strings repairs every string and key inside a value", "[utf8]") {
  Value v = Value::dict({{"k\xff", Value(List{Value("a\x80"), Value(int64_t(1))})}, {"ok", Value("fine")}});
  Value r = repair_text_strings(v);
  CHECK(to_json(r) == "{\"k\xef\xbf\xbd\":[\"a\xef\xbf\xbd\",1],\"ok\":\"fine\"}");
  Value same = Value("untouched");
  CHECK(repair_text_strings(same).as_string() == "untouched");
}

TEST_CASE("check_utf8 names the byte, its offset and line:column", "[utf8]") {
  CHECK(check_utf8("fine", "x").ok());
  auto r = check_utf8("version: '2.0'\nwf\xff:\n", "The request body");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::BadInput);
  CHECK(r.error().message.find("The request body is not valid UTF-8: byte 0xff at offset 17 (line 2, column 3)") == 0);
  auto h = check_utf8("a\xfe", "The header x-project-id", false);
  REQUIRE_FALSE(h.ok());
  CHECK(h.error().message.find("byte 0xfe at offset 1;") != std::string::npos);
  CHECK(text_position("\xc3\xa9\xc3\xa9x", 4).column == 3);  // columns count characters
}

TEST_CASE("parse_json refuses raw bytes that are not UTF-8 and reads lone surrogate escapes as Python's json", "[utf8][json]") {
  auto raw = parse_json("{\"a\": \"x\xff\"}");
  REQUIRE_FALSE(raw.ok());
  CHECK(raw.error().message.find("offset") != std::string::npos);
  // json.loads('"\\udc00"') == '\udc00': a str of one (lone) surrogate.
  CHECK(parse_json("\"\\udc00\"")->as_string() == "\xed\xb0\x80");
  CHECK(parse_json("{\"\\udfff\": 1}")->as_dict().begin()->first == "\xed\xbf\xbf");
  CHECK(parse_json("[\"a\\ud800\"]")->as_list()[0].as_string() == "a\xed\xa0\x80");
  CHECK(parse_json("\"\\ud800\\u0041\"")->as_string() == "\xed\xa0\x80" "A");
  CHECK(parse_json("\"\\ud83d\\ude00\"")->as_string() == "\xf0\x9f\x98\x80");  // a pair is one character
  CHECK(parse_json("\"\\u00e9\"")->as_string() == "\xc3\xa9");
  // Lone highs, lone U+DFFF (the stand-in parse_json uses) and pairs mixed,
  // in strings and keys, with a number RapidJSON cannot scan: each in place.
  auto mixed = parse_json("{\"\\udbff\": [\"\\udfff\\ud801x\", \"\\ud800\\udfff\", \"\\\\ud800\", 1" + std::string(400, '0') +
                          ", \"\\udfff\\udfff\\ud802\"]}");
  REQUIRE(mixed.ok());
  const auto& [key, list] = *mixed->as_dict().begin();
  CHECK(key == "\xed\xaf\xbf");
  CHECK(list[0].as_string() == "\xed\xbf\xbf\xed\xa0\x81x");
  CHECK(list[1].as_string() == "\xf0\x90\x8f\xbf");  // U+103FF
  CHECK(list[2].as_string() == "\\ud800");            // an escaped backslash: no escape
  CHECK(list[3].is_big_int());
  CHECK(list[4].as_string() == "\xed\xbf\xbf\xed\xbf\xbf\xed\xa0\x82");
  // A text that holds the character itself (a JSON field sent as a string).
  CHECK(parse_json("[\"a\xed\xa0\x80\"]")->as_list()[0].as_string() == "a\xed\xa0\x80");
  CHECK_FALSE(parse_json("[\xed\xa0\x80]").ok());  // outside a string: no value
}

TEST_CASE("the JSON writer never writes bytes that do not parse back", "[utf8][json]") {
  const std::string bad = "a\xff" "b\xed\xa0\x80" "c\xe2\x82";
  std::string plain = to_json(Value(bad));
  std::string ascii = to_json(Value(bad), JsonFormat::python());
  CHECK(is_valid_utf8(plain));
  // The surrogate is written as its escape either way; broken bytes as U+FFFD.
  CHECK(plain == "\"a\xef\xbf\xbd" "b\\ud800c\xef\xbf\xbd\"");
  CHECK(ascii == "\"a\\ufffdb\\ud800c\\ufffd\"");
  REQUIRE(parse_json(plain).ok());
  REQUIRE(parse_json(ascii).ok());
  CHECK(parse_json(plain)->as_string() == parse_json(ascii)->as_string());
  CHECK(parse_json(plain)->as_string() == "a\xef\xbf\xbd" "b\xed\xa0\x80" "c\xef\xbf\xbd");
  // Hangul (U+D7A3, also led by 0xED) stays as it is.
  CHECK(to_json(Value("\xed\x9e\xa3")) == "\"\xed\x9e\xa3\"");
  // Keys too.
  CHECK(parse_json(to_json(Value::dict({{"k\x80", Value(1)}}))).ok());
  CHECK(parse_json(to_json(Value::dict({{"k\xed\xa0\x80", Value(1)}})))->as_dict().begin()->first == "k\xed\xa0\x80");
}

TEST_CASE("parse_yaml refuses text and escapes that are not UTF-8, with the position", "[utf8][yaml]") {
  auto r = parse_yaml("a: 1\nb\xff: 2\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("offset 6 (line 2, column 2)") != std::string::npos);
  // PyYAML reads a lone surrogate escape as that character.
  auto esc = parse_yaml("a: \"x\\ud800\"\n");
  REQUIRE(esc.ok());
  CHECK(esc->find("a")->as_string() == "x\xed\xa0\x80");
  CHECK(parse_yaml("a: \"\\xff\"\n")->find("a")->as_string() == "\xc3\xbf");  // \xff is U+00FF in YAML
}

TEST_CASE("utf8_code_point decodes one character", "[utf8]") {
  CHECK(utf8_code_point("") == 0);
  CHECK(utf8_code_point("a") == 0x61);
  CHECK(utf8_code_point("\xc3\xa9") == 0xE9);
  CHECK(utf8_code_point("\xe2\x82\xac") == 0x20AC);
  CHECK(utf8_code_point("\xf0\x9f\x98\x80") == 0x1F600);
}

TEST_CASE("python_ascii_encode_error words str.encode('ascii')'s error as Python does", "[utf8]") {
  // Python 3.11's messages: the first run of characters it cannot encode.
  CHECK_FALSE(python_ascii_encode_error("plain ascii"));
  CHECK(python_ascii_encode_error("\xc3\xa9").value() ==
        "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)");
  CHECK(python_ascii_encode_error("a\xc3\xa9" "b\xe2\x82\xac").value() ==
        "'ascii' codec can't encode character '\\xe9' in position 1: ordinal not in range(128)");
  CHECK(python_ascii_encode_error("a\xc3\xa9\xe2\x82\xac b").value() ==
        "'ascii' codec can't encode characters in position 1-2: ordinal not in range(128)");
  CHECK(python_ascii_encode_error("ab\xe2\x82\xac").value() ==
        "'ascii' codec can't encode character '\\u20ac' in position 2: ordinal not in range(128)");
  CHECK(python_ascii_encode_error("\xf0\x9f\x98\x80").value() ==
        "'ascii' codec can't encode character '\\U0001f600' in position 0: ordinal not in range(128)");
}
