// expr/jinja/jinja_ast: the parsed form of Jinja2 expressions and templates.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bora/core/value.h"

namespace bora::expr::jinja {

struct JNode;
using JNodePtr = std::unique_ptr<JNode>;

enum class JKind {
  Const,      // literal
  Name,       // a variable
  Attr,       // a.b  (text = b)
  Item,       // a[b]
  Slice,      // a[b:c:d] (null parts as Const null)
  Call,       // a(args) ; kwargs in names
  Filter,     // a | f(args)  (text = f)
  Test,       // a is t(args) (text = t; negate)
  Unary,      // -a, +a, not a
  Binary,     // a op b (text = op)
  Compare,    // chain: args[0] op0 args[1] op1 args[2] ... (ops in names)
  Cond,       // args[1] if args[0] else args[2]
  List,       // [a, b] / (a, b)
  Dict,       // {k: v}: args alternate key, value
};

struct JNode {
  JKind kind;
  std::string text;
  Value value;
  std::vector<JNodePtr> args;
  std::vector<std::string> names;  // kwarg names for Call/Filter/Test (aligned with the last args), compare ops
  bool negate = false;
  int height = 1;  // 1 + the tallest argument: the parser refuses trees taller than the limit
};

// Template statements.
struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
// Raw blocks become Text when scanned; `{% set ns.x = v %}` is a Set whose
// target holds the dot; `{% set x %}...{% endset %}` is a SetBlock.
enum class SKind { Text, Output, If, For, Set, SetBlock, With, FilterBlock, Macro, CallBlock };

struct Stmt {
  SKind kind;
  std::string text;                       // Text
  JNodePtr expr;                          // Output; If: condition; For: iterable; Set: value
  std::vector<std::string> targets;       // For loop variables; Set target
  JNodePtr filter;                        // For ... if cond
  std::vector<StmtPtr> body;              // If/For body
  std::vector<StmtPtr> else_body;         // If else (elif chains nest here) / For else
  // Macro and CallBlock (the caller's) parameters are `targets`, their
  // defaults `values` (null: none); With assigns `values` to `targets`.
  std::vector<JNodePtr> values;
  bool recursive = false;  // For ... recursive
  bool uses_varargs = false, uses_kwargs = false, uses_caller = false;  // Macro: what its body names
  bool elif = false;  // If: an `{% elif %}` (nested in the else branch of the if before it)
  // The names a frame (a For's body and its else, a Macro's, a
  // CallBlock's, a With's, a FilterBlock's or a SetBlock's body) stores
  // before it reads them, and no enclosing frame knows: Jinja's idtracking
  // starts them `missing` (undefined, not the context's) when the frame
  // is entered (jinja_frames.h).
  std::vector<std::string> unset, unset_else;
};

}  // namespace bora::expr::jinja
