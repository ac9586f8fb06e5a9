# expr (the facade): Mistral's expression rules over the YAQL and Jinja2
# engines, and the port the engine evaluates through.
bora_module(expr
  SOURCES
    facade/compiled.cpp
    facade/literal_expressions.cpp
    facade/mistral_expressions.cpp
    facade/template_scan.cpp
  DEPS bora_expr_yaql bora_expr_jinja bora_core fmt::fmt)
