// core/metrics: the registry, bounded labels, deferred increments and the
// text exposition format 0.0.4.
#include <catch2/catch.hpp>

#include <limits>
#include <thread>

#include "bora/core/metrics.h"

using namespace bora::metrics;

TEST_CASE("counters and gauges in the text format: HELP, TYPE, labels in declared order") {
  Registry r;
  auto& c = r.counter("bora_things_total", "Things done.", {"kind", "state"});
  c.counter({"a", "SUCCESS"}).inc();
  c.counter({"a", "SUCCESS"}).inc(2);
  c.counter({"b", "ERROR"}).inc();
  r.gauge("bora_level", "A level.").gauge().set(-1.5);
  CHECK(r.expose() ==
        "# HELP bora_level A level.\n"
        "# TYPE bora_level gauge\n"
        "bora_level -1.5\n"
        "# HELP bora_things_total Things done.\n"
        "# TYPE bora_things_total counter\n"
        "bora_things_total{kind=\"a\",state=\"SUCCESS\"} 3\n"
        "bora_things_total{kind=\"b\",state=\"ERROR\"} 1\n");
}

TEST_CASE("the same series is found again, and by the same reference") {
  Registry r;
  auto& f = r.counter("x_total", "x", {"l"});
  CHECK(&f.counter({"v"}) == &f.counter({"v"}));
  CHECK(&r.counter("x_total", "other help", {"l"}) == &f);
  CHECK_THROWS_AS(r.gauge("x_total", "x", {"l"}), std::logic_error);
  CHECK_THROWS_AS(r.counter("x_total", "x", {"other"}), std::logic_error);
  CHECK_THROWS_AS(f.counter({"v", "w"}), std::logic_error);
  CHECK_THROWS_AS(r.counter("bad name", "x"), std::logic_error);
  CHECK_THROWS_AS(r.counter("y_total", "x", {"le"}), std::logic_error);
}

TEST_CASE("histograms: cumulative buckets with le, +Inf, _sum and _count") {
  Registry r;
  auto& h = r.histogram("bora_wait_seconds", "Waits.", {"route"}, {0.25, 1, 2.5});
  auto& s = h.histogram({"/v2/x"});
  s.observe(0.125);
  s.observe(0.25);  // on the bound: le is "less or equal"
  s.observe(2);
  s.observe(100);
  CHECK(r.expose() ==
        "# HELP bora_wait_seconds Waits.\n"
        "# TYPE bora_wait_seconds histogram\n"
        "bora_wait_seconds_bucket{route=\"/v2/x\",le=\"0.25\"} 2\n"
        "bora_wait_seconds_bucket{route=\"/v2/x\",le=\"1\"} 2\n"
        "bora_wait_seconds_bucket{route=\"/v2/x\",le=\"2.5\"} 3\n"
        "bora_wait_seconds_bucket{route=\"/v2/x\",le=\"+Inf\"} 4\n"
        "bora_wait_seconds_sum{route=\"/v2/x\"} 102.375\n"
        "bora_wait_seconds_count{route=\"/v2/x\"} 4\n");
  CHECK_THROWS_AS(r.histogram("bora_bad_seconds", "x", {}, {1, 0.5}), std::logic_error);
}

TEST_CASE("escaping: backslash and newline in HELP; quote too in label values") {
  Registry r;
  r.counter("e_total", "a \\ b\nc \"q\"", {"name"}).counter({"x\"y\\z\nw"}).inc();
  CHECK(r.expose() ==
        "# HELP e_total a \\\\ b\\nc \"q\"\n"
        "# TYPE e_total counter\n"
        "e_total{name=\"x\\\"y\\\\z\\nw\"} 1\n");
}

TEST_CASE("label values beyond the bound go to __other__, per label") {
  Registry r;
  r.set_max_label_values(3);
  auto& f = r.counter("wf_total", "x", {"workflow", "state"});
  for (int i = 0; i < 10; ++i) f.counter({"wf" + std::to_string(i), "SUCCESS"}).inc();
  f.counter({"wf1", "ERROR"}).inc();  // a known workflow keeps its name
  std::string text = r.expose();
  CHECK(text.find("wf_total{workflow=\"wf0\",state=\"SUCCESS\"} 1\n") != std::string::npos);
  CHECK(text.find("wf_total{workflow=\"wf2\",state=\"SUCCESS\"} 1\n") != std::string::npos);
  CHECK(text.find("wf3") == std::string::npos);
  CHECK(text.find("wf_total{workflow=\"__other__\",state=\"SUCCESS\"} 7\n") != std::string::npos);
  CHECK(text.find("wf_total{workflow=\"wf1\",state=\"ERROR\"} 1\n") != std::string::npos);
  // A hostile number of names is a bounded number of series.
  for (int i = 0; i < 10000; ++i) f.counter({"n" + std::to_string(i), "SUCCESS"}).inc();
  size_t lines = 0;
  for (char c : r.expose()) lines += c == '\n';
  CHECK(lines == 2 + 5);
}

TEST_CASE("callback gauges are read at scrape time, the latest registration wins, and go with their handle") {
  Registry r;
  double depth = 4;
  {
    auto first = r.callback("bora_queue_depth", "Queued.", Type::Gauge, [&] { return std::optional<double>(depth); });
    CHECK(r.expose() == "# HELP bora_queue_depth Queued.\n# TYPE bora_queue_depth gauge\nbora_queue_depth 4\n");
    depth = 7;
    CHECK(r.expose().find("bora_queue_depth 7\n") != std::string::npos);
    {
      auto second = r.callback("bora_queue_depth", "Queued.", Type::Gauge, [] { return std::optional<double>(1); });
      CHECK(r.expose().find("bora_queue_depth 1\n") != std::string::npos);
    }
    CHECK(r.expose().find("bora_queue_depth 7\n") != std::string::npos);
    auto absent = r.callback("bora_absent", "Nothing to say.", Type::Gauge, [] { return std::optional<double>(); });
    CHECK(r.expose().find("bora_absent") == std::string::npos);
  }
  CHECK(r.expose().empty());
}

TEST_CASE("callbacks and families are exposed in name order, values in Go's float syntax") {
  Registry r;
  r.counter("b_total", "b").counter().inc(0.25);
  auto cb = r.callback("a_seconds_total", "a", Type::Counter, [] { return std::optional<double>(1e21); });
  auto inf = r.callback("c_value", "c", Type::Gauge, [] { return std::optional<double>(std::numeric_limits<double>::infinity()); });
  CHECK(r.expose() ==
        "# HELP a_seconds_total a\n# TYPE a_seconds_total counter\na_seconds_total 1e+21\n"
        "# HELP b_total b\n# TYPE b_total counter\nb_total 0.25\n"
        "# HELP c_value c\n# TYPE c_value gauge\nc_value +Inf\n");
}

TEST_CASE("deferred increments count on commit, and not at all without it") {
  Registry r;
  auto& c = r.counter("d_total", "d").counter();
  auto& h = r.histogram("d_seconds", "d", {}, {1}).histogram();
  {
    Deferred d;
    c.inc();
    c.inc();
    h.observe(0.5);
    CHECK(c.value() == 0);
    d.commit();
    CHECK(c.value() == 2);
    CHECK(h.snapshot().count == 1);
    c.inc();  // after the commit: at once
    CHECK(c.value() == 3);
  }
  {
    Deferred rolled_back;
    c.inc(10);
    h.observe(0.5);
  }
  CHECK(c.value() == 3);
  CHECK(h.snapshot().count == 1);
  {
    Deferred outer;
    {
      Deferred inner;
      c.inc();
      inner.commit();
    }
    CHECK(c.value() == 3);  // held by the outer one
  }
  CHECK(c.value() == 3);
  // Another thread's increments are not held by this thread's Deferred.
  Deferred mine;
  std::thread([&] { c.inc(); }).join();
  CHECK(c.value() == 4);
}

TEST_CASE("counting from many threads loses nothing") {
  Registry r;
  auto& f = r.counter("t_total", "t", {"l"});
  auto& h = r.histogram("t_seconds", "t", {}, {0.5}).histogram();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        f.counter({i % 2 ? "odd" : "even"}).inc();
        h.observe(t % 2 ? 0.1 : 1);
      }
    });
  for (auto& t : threads) t.join();
  CHECK(f.counter({"odd"}).value() == 20000);
  CHECK(f.counter({"even"}).value() == 20000);
  auto snap = h.snapshot();
  CHECK(snap.count == 40000);
  CHECK(snap.cumulative[0] == 20000);
}
