// expr/jinja/jinja_frames: see jinja_frames.h.
#include "jinja_frames.h"

#include <map>
#include <set>

#include "jinja_parser.h"

namespace bora::expr::jinja {

namespace {

// How a frame gets a name when it is entered.
enum class Load { Parameter, Context, Outer, Missing };

// The names one frame knows (Jinja's Symbols): those it reads, stores or
// takes as parameters, each with how the frame gets it. A copy is made
// for each branch of an `if` and merged back.
struct Symbols {
  const Symbols* parent = nullptr;
  std::map<std::string, Load> refs;
  std::set<std::string> stores;

  bool knows(const std::string& name) const {
    for (const Symbols* s = this; s; s = s->parent)
      if (s->refs.count(name)) return true;
    return false;
  }
  void load(const std::string& name) {
    if (!knows(name)) refs[name] = Load::Context;
  }
  void store(const std::string& name) {
    stores.insert(name);
    if (refs.count(name)) return;
    refs[name] = parent && parent->knows(name) ? Load::Outer : Load::Missing;
  }
  void parameter(const std::string& name) {
    stores.insert(name);
    refs[name] = Load::Parameter;
  }
  // After an `if`: what its three branches (body, elifs, else) knew, and a
  // name stored in only some of them read from outside again.
  void merge(const std::vector<Symbols>& branches) {
    std::map<std::string, size_t> stored;
    for (const auto& b : branches)
      for (const auto& name : b.stores)
        if (!stores.count(name)) ++stored[name];
    for (const auto& b : branches) {
      for (const auto& [name, how] : b.refs) refs[name] = how;
      stores.insert(b.stores.begin(), b.stores.end());
    }
    for (const auto& [name, count] : stored) {
      if (count == branches.size()) continue;
      refs[name] = parent && parent->knows(name) ? Load::Outer : Load::Context;
    }
  }
  std::vector<std::string> missing() const {
    std::vector<std::string> out;
    for (const auto& [name, how] : refs)
      if (how == Load::Missing) out.push_back(name);
    return out;
  }
};

// What a statement of a frame adds to the frame's names (Jinja's
// FrameSymbolVisitor): the inner frames' bodies are not visited here.
class FrameVisitor {
 public:
  explicit FrameVisitor(Symbols& s) : sym_(&s) {}

  void expr(const JNode* n) {
    if (!n) return;
    if (n->kind == JKind::Name) sym_->load(n->text);
    for (const auto& a : n->args) expr(a.get());
  }

  void target(const std::string& t) {
    size_t dot = t.find('.');
    if (dot == std::string::npos) {
      sym_->store(t);
      return;
    }
    // `{% set ns.x = v %}` reads ns.
    size_t b = t.find_first_not_of(" \t"), e = t.find_last_not_of(" \t", dot == 0 ? 0 : dot - 1);
    if (b < dot && e != std::string::npos && e >= b) sym_->load(t.substr(b, e - b + 1));
  }

  void stmt(const Stmt& s) {
    switch (s.kind) {
      case SKind::Text: break;
      case SKind::Output: expr(s.expr.get()); break;
      case SKind::Set:
        expr(s.expr.get());
        for (const auto& t : s.targets) target(t);
        break;
      case SKind::SetBlock:
        for (const auto& t : s.targets) target(t);
        break;
      case SKind::If: if_stmt(s, true); break;
      case SKind::For: expr(s.expr.get()); break;
      case SKind::With:
        for (const auto& v : s.values) expr(v.get());
        break;
      case SKind::FilterBlock: expr(s.expr.get()); break;
      case SKind::Macro: sym_->store(s.text); break;
      case SKind::CallBlock: expr(s.expr.get()); break;
    }
  }

  void body(const std::vector<StmtPtr>& b) {
    for (const auto& s : b)
      if (s) stmt(*s);
  }

 private:
  // Jinja's If node: a test, a body, its elifs (each an If of its own)
  // and an else; `chain`: this if's else branch holds its elifs (Bora
  // nests an elif in the else of the if before it).
  void if_stmt(const Stmt& s, bool chain) {
    expr(s.expr.get());
    std::vector<const Stmt*> elifs;
    const std::vector<StmtPtr>* rest = &s.else_body;
    if (chain)
      while (rest->size() == 1 && (*rest)[0] && (*rest)[0]->kind == SKind::If && (*rest)[0]->elif) {
        elifs.push_back((*rest)[0].get());
        rest = &(*rest)[0]->else_body;
      }
    Symbols* outer = sym_;
    std::vector<Symbols> branches(3, *outer);
    sym_ = &branches[0];
    body(s.body);
    sym_ = &branches[1];
    for (const Stmt* e : elifs) if_stmt(*e, false);
    sym_ = &branches[2];
    if (chain) body(*rest);
    sym_ = outer;
    outer->merge(branches);
  }

  Symbols* sym_;
};

void inner_frames(std::vector<StmtPtr>& body, const Symbols& parent);

// One frame: its parameters (`params`), what its statements read and
// store, then the frames inside it, which see this one as their parent.
template <class Prologue>
std::vector<std::string> frame(std::vector<StmtPtr>& body, const Symbols* parent, const Prologue& prologue) {
  Symbols sym;
  sym.parent = parent;
  FrameVisitor v(sym);
  prologue(sym, v);
  v.body(body);
  inner_frames(body, sym);
  return sym.missing();
}

void params_and_defaults(Symbols& sym, FrameVisitor& v, const Stmt& s) {
  for (const auto& t : s.targets) sym.parameter(t);
  for (const auto& d : s.values) v.expr(d.get());
}

void inner_frames(std::vector<StmtPtr>& body, const Symbols& parent) {
  for (auto& sp : body) {
    if (!sp) continue;
    Stmt& s = *sp;
    auto none = [](Symbols&, FrameVisitor&) {};
    switch (s.kind) {
      case SKind::If:  // no frame of its own
        inner_frames(s.body, parent);
        inner_frames(s.else_body, parent);
        break;
      case SKind::For:
        s.unset = frame(s.body, &parent, [&](Symbols& sym, FrameVisitor&) {
          for (const auto& t : s.targets) sym.parameter(t);
        });
        s.unset_else = frame(s.else_body, &parent, none);
        break;
      case SKind::Macro:
      case SKind::CallBlock:
        s.unset = frame(s.body, &parent, [&](Symbols& sym, FrameVisitor& v) { params_and_defaults(sym, v, s); });
        break;
      case SKind::With:
        s.unset = frame(s.body, &parent, [&](Symbols&, FrameVisitor& v) {
          for (const auto& t : s.targets) v.target(t);
        });
        break;
      case SKind::FilterBlock:
      case SKind::SetBlock:
        s.unset = frame(s.body, &parent, none);
        break;
      default: break;
    }
  }
}

}  // namespace

std::vector<std::string> analyze_frames(std::vector<StmtPtr>& body) {
  return frame(body, nullptr, [](Symbols&, FrameVisitor&) {});
}

}  // namespace bora::expr::jinja
