// core/limits: the nesting limits every recursive parser, evaluator and
// printer of Bora keeps to, in one place, so that the chain is consistent:
// whatever one stage accepts, the next can walk without exhausting the stack
// (threads run on 8 MiB stacks; the limits leave a wide margin).
#pragma once

#include <cstddef>

namespace bora {

// How deeply an expression (YAQL or Jinja2) or a template's blocks may nest
// ([expressions] max_depth). Parsers refuse deeper input with a 400.
constexpr int kDefaultExpressionMaxDepth = 200;
// The largest value [expressions] max_depth accepts: evaluators recurse twice
// per level at most, and must stay far from the end of a thread's stack.
constexpr int kMaxExpressionMaxDepth = 1000;

// Process-wide, set once from the configuration before serving (bora server,
// run, eval, validate); reads are lock-free.
int expression_max_depth() noexcept;
void set_expression_max_depth(int depth) noexcept;

// How deeply a data value (lists and dicts) may nest: JSON input is refused
// past it (kJsonMaxDepth), YAML too, and an expression may not build a
// deeper value.
constexpr size_t kMaxValueDepth = 1000;
// Printers (JSON, Python str()/repr(), YAML) and storage reading back what
// they wrote accept twice that: Bora's own records wrap user values in a few
// levels (an execution's input inside its record, a result inside a task's
// context). A deeper value is refused, never recursed into.
constexpr size_t kMaxPrintDepth = 2 * kMaxValueDepth;

// True when less than `margin` bytes of the calling thread's stack are left.
// Recursive parsers and evaluators check it next to their depth limit: the
// limits are sized for Bora's 8 MiB thread stacks, and this keeps them safe
// on a thread with a smaller one (a small `ulimit -s`, a library's thread).
bool stack_nearly_exhausted(size_t margin = 64 * 1024) noexcept;

class Value;
// Throws BoraError (BadInput) when `v` nests deeper than kMaxPrintDepth:
// printers call it before walking a value. Printing happens at boundaries
// (API views, storage, logs), where exceptions become 400s.
void require_printable(const Value& v, const char* printer);

}  // namespace bora
