; Scopes: every function and class, so that each fact can name the function and class around it from an index
; instead of climbing the tree (tree-sitter finds a node's parent by descending from the root).

[
  (function_declaration)
  (generator_function_declaration)
  (function_expression)
  (generator_function)
  (arrow_function)
  (method_definition)
] @scope.function
[(class_declaration) (class)] @scope.class
