// expr/yaql/date_string: yaql's datetime(string) reads its text with
// dateutil.parser.parse and its defaults (dayfirst and yearfirst off). This
// is that reading for the forms dates are written in: numbers split by
// '-', '/', '.', ' ' or ',' (month-day-year unless a number can only be a
// year or a day), runs of digits (YYYYMMDD, YYMMDD, YYYYMMDDhhmm[ss]),
// month and weekday names, times (H:M[:S[.f]], "4pm"), AM/PM, and a UTC
// offset after the time. A field the text does not give comes from today,
// as dateutil's default does; no offset means UTC (yaql's rule).
#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "date_time.h"

namespace bora::expr::yaql {

namespace {

struct Token {
  enum Kind { Number, Word, Sign, Separator } kind;
  std::string text;  // a Word is lowercase
  std::string raw{};  // a Word as written
};

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    size_t j = i;
    if (std::isdigit(ch)) {
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::Number, s.substr(i, j - i)});
    } else if (std::isalpha(ch)) {
      std::string word;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j])))
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(s[j++])));
      out.push_back({Token::Word, word, s.substr(i, j - i)});
    } else if (ch == '+' || ch == '-') {
      out.push_back({Token::Sign, std::string(1, s[i])});
      j = i + 1;
    } else {
      out.push_back({Token::Separator, std::string(1, s[i])});
      j = i + 1;
    }
    i = j;
  }
  return out;
}

// 1..12 for a month name or its first three letters ("sept" too).
int month_of(const std::string& w) {
  for (int m = 0; m < 12; ++m) {
    std::string name = kMonthNames[m];
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (w == name || w == name.substr(0, 3) || (m == 8 && w == "sept")) return m + 1;
  }
  return 0;
}

bool is_weekday(const std::string& w) {
  for (const char* day : kDayNames) {
    std::string name = day;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (w == name || w == name.substr(0, 3)) return true;
  }
  return false;
}

struct Reading {
  struct Part {
    int64_t value;
    size_t digits;
    bool month_name;
  };
  std::vector<Part> ymd;
  std::optional<int64_t> hour, minute, second, microsecond, offset_s;
  std::optional<bool> pm;
  bool gmt = false;  // the zone was named GMT (dateutil's tzutc(), not "UTC")
};

// dateutil's resolution of up to three date numbers (one maybe a month
// name) into year, month and day, month first.
void resolve(const Reading& r, std::optional<int64_t>& y, std::optional<int64_t>& m, std::optional<int64_t>& d) {
  const auto& p = r.ymd;
  auto yearish = [](const Reading::Part& x) { return x.value > 31 || x.digits > 2; };
  int named = -1;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i].month_name) named = static_cast<int>(i);
  if (p.size() == 1) {
    if (named == 0) m = p[0].value;
    else if (yearish(p[0])) y = p[0].value;
    else d = p[0].value;
  } else if (p.size() == 2) {
    if (named >= 0) {
      const auto& other = p[1 - named];
      m = p[named].value;
      if (yearish(other)) y = other.value;
      else d = other.value;
    } else if (yearish(p[0])) {
      y = p[0].value, m = p[1].value;
    } else if (yearish(p[1])) {
      m = p[0].value, y = p[1].value;
    } else {
      m = p[0].value, d = p[1].value;
    }
  } else if (p.size() == 3) {
    if (named == 0) {
      m = p[0].value;
      if (p[1].value > 31) y = p[1].value, d = p[2].value;
      else d = p[1].value, y = p[2].value;
    } else if (named == 1) {
      m = p[1].value;
      if (yearish(p[0])) y = p[0].value, d = p[2].value;
      else d = p[0].value, y = p[2].value;
    } else if (named == 2) {
      m = p[2].value;
      if (yearish(p[1])) d = p[0].value, y = p[1].value;
      else y = p[0].value, d = p[1].value;
    } else if (yearish(p[0])) {
      y = p[0].value, m = p[1].value, d = p[2].value;
    } else if (p[0].value > 12) {
      d = p[0].value, m = p[1].value, y = p[2].value;
    } else {
      m = p[0].value, d = p[1].value, y = p[2].value;
    }
  }
}

// A two-digit year is the one within 50 years of this one (dateutil).
int64_t full_year(int64_t y, size_t digits, int64_t this_year) {
  if (digits > 2 || y >= 100) return y;
  y += this_year / 100 * 100;
  if (y >= this_year + 50) y -= 100;
  else if (y < this_year - 50) y += 100;
  return y;
}

}  // namespace

Value parse_date_string(const std::string& s) {
  auto fail = [&]() { return EvalError(fmt::format("Unknown string format: {}", s)); };
  std::vector<Token> t = tokenize(s);
  Reading r;
  auto number_at = [&](size_t i) { return i < t.size() && t[i].kind == Token::Number; };
  auto sep_at = [&](size_t i, char c) { return i < t.size() && t[i].kind == Token::Separator && t[i].text[0] == c; };
  auto add_date = [&](int64_t value, size_t digits, bool name) {
    if (r.ymd.size() == 3) throw fail();
    r.ymd.push_back({value, digits, name});
  };
  // A following word (spaces skipped) that is am or pm.
  auto ampm_after = [&](size_t i) -> std::optional<bool> {
    while (sep_at(i, ' ')) ++i;
    if (i < t.size() && t[i].kind == Token::Word && (t[i].text == "am" || t[i].text == "pm")) return t[i].text == "pm";
    return std::nullopt;
  };
  for (size_t i = 0; i < t.size(); ++i) {
    const Token& k = t[i];
    if (k.kind == Token::Number) {
      const std::string& n = k.text;
      if (sep_at(i + 1, ':') && number_at(i + 2)) {
        // H:M[:S[.f]]
        if (r.hour) throw fail();
        r.hour = std::stoll(n);
        r.minute = std::stoll(t[i + 2].text);
        i += 2;
        if (sep_at(i + 1, ':') && number_at(i + 2)) {
          r.second = std::stoll(t[i + 2].text);
          i += 2;
          if (sep_at(i + 1, '.') && number_at(i + 2)) {
            std::string f = (t[i + 2].text + "000000").substr(0, 6);
            r.microsecond = std::stoll(f);
            i += 2;
          }
        }
      } else if (r.ymd.empty() && !r.hour && (n.size() == 8 || n.size() == 12 || n.size() == 14)) {
        // YYYYMMDD[hhmm[ss]]
        add_date(std::stoll(n.substr(0, 4)), 4, false);
        add_date(std::stoll(n.substr(4, 2)), 2, false);
        add_date(std::stoll(n.substr(6, 2)), 2, false);
        if (n.size() >= 12) r.hour = std::stoll(n.substr(8, 2)), r.minute = std::stoll(n.substr(10, 2));
        if (n.size() == 14) r.second = std::stoll(n.substr(12, 2));
      } else if (r.ymd.size() == 3 && !r.hour && (n.size() == 4 || n.size() == 6)) {
        // hhmm[ss] after a full date ("20080903T102030")
        r.hour = std::stoll(n.substr(0, 2)), r.minute = std::stoll(n.substr(2, 2));
        if (n.size() == 6) r.second = std::stoll(n.substr(4, 2));
      } else if (r.ymd.empty() && n.size() == 6 && !sep_at(i + 1, '.')) {
        // three two-digit numbers, read as any three date numbers
        for (size_t p = 0; p < 6; p += 2) add_date(std::stoll(n.substr(p, 2)), 2, false);
      } else if (n.size() <= 2 && ampm_after(i + 1)) {
        if (r.hour) throw fail();
        r.hour = std::stoll(n);  // "4pm": the word sets the half of the day below
      } else if (n.size() <= 4) {
        add_date(std::stoll(n), n.size(), false);
      } else {
        throw fail();
      }
    } else if (k.kind == Token::Word) {
      const std::string& w = k.text;
      if (int m = month_of(w)) {
        add_date(m, 0, true);
      } else if (w == "am" || w == "pm") {
        if (!r.hour || *r.hour > 12 || r.pm) throw fail();
        r.pm = w == "pm";
      } else if (is_weekday(w) || w == "at" || w == "on" || w == "of" || w == "and" || w == "the" || w == "t") {
        continue;  // words dateutil skips; "t" between a date and a time
      } else if ((w == "st" || w == "nd" || w == "rd" || w == "th") && i > 0 && t[i - 1].kind == Token::Number) {
        continue;  // 3rd
      } else if (r.hour && !r.offset_s && (k.raw == "UTC" || k.raw == "GMT" || k.raw == "Z" || k.raw == "z") &&
                 (i + 1 == t.size() || t[i + 1].kind != Token::Sign)) {
        // dateutil's UTC zone names after a time (not GMT+3, which it
        // reads backwards).
        r.offset_s = 0;
        r.gmt = k.raw == "GMT";
      } else {
        throw fail();
      }
    } else if (k.kind == Token::Sign) {
      // After a time, +hh[mm] / +hh:mm is the UTC offset; elsewhere a
      // '-' separates date numbers.
      if (r.hour && !r.offset_s && number_at(i + 1)) {
        const std::string& n = t[i + 1].text;
        int64_t hh, mm = 0;
        if (n.size() == 4) {
          hh = std::stoll(n.substr(0, 2)), mm = std::stoll(n.substr(2, 2));
          i += 1;
        } else if (n.size() <= 2) {
          hh = std::stoll(n);
          i += 1;
          if (sep_at(i + 1, ':') && number_at(i + 2)) {
            mm = std::stoll(t[i + 2].text);
            i += 2;
          }
        } else {
          throw fail();
        }
        r.offset_s = (k.text == "-" ? -1 : 1) * (hh * 3600 + mm * 60);
      } else if (k.text != "-") {
        throw fail();
      }
    } else if (!(k.text == " " || k.text == "," || k.text == "/" || k.text == "." || k.text == "\t")) {
      throw fail();
    }
  }
  if (r.ymd.empty() && !r.hour) throw fail();
  std::optional<int64_t> y, m, d;
  resolve(r, y, m, d);
  CivilDate today = utc_today();
  int64_t year = y ? full_year(*y, r.ymd.empty() ? 4 : [&] {
    for (const auto& p : r.ymd)
      if (!p.month_name && p.value == *y) return p.digits;
    return size_t{4};
  }(), today.year) : today.year;
  int64_t hour = r.hour.value_or(0);
  if (r.pm) {
    if (*r.pm && hour < 12) hour += 12;
    if (!*r.pm && hour == 12) hour = 0;
  }
  int64_t off = r.offset_s.value_or(0);
  // A zero offset dateutil names UTC (Z, UTC, +0000; not GMT): tzlocal() on
  // a UTC host.
  Zone zone = r.offset_s && off == 0 && !r.gmt ? utc_named_zone() : Zone::Dateutil;
  int64_t local = checked_civil_us(year, m.value_or(today.month), d.value_or(today.day), hour, r.minute.value_or(0),
                                   r.second.value_or(0), r.microsecond.value_or(0));
  return make_datetime(local - off * 1000000, off, zone);
}

}  // namespace bora::expr::yaql
